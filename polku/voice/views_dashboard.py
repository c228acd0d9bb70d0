"""The secretariat's dashboard of challenges: counts, response clocks and a monthly chart."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.core.permissions import insider_required, require
from polku.taxonomy.choices import TypologyKind
from polku.voice import dashboard
from polku.voice.selectors import BREAKDOWN_THRESHOLD, protected_breakdown


@insider_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(dashboard.can_view_dashboard(user))
    today = timezone.localdate()
    months = dashboard.monthly_new(user=user, today=today)
    statuses = dashboard.status_counts(user=user)
    return render(
        request,
        "voice/dashboard.html",
        {
            "statuses": statuses,
            "total": sum(row.count for row in statuses),
            "sectors": dashboard.category_counts(user=user, kind=TypologyKind.SECTOR),
            "forms": dashboard.category_counts(user=user, kind=TypologyKind.EXPLOITATION_FORM),
            "regions": dashboard.region_breakdown(user=user),
            "organisation_kinds": dashboard.organisation_kind_breakdown(user=user),
            "protected_kinds": protected_breakdown(user=user, by="organisation_kind"),
            "protected_regions": protected_breakdown(user=user, by="region"),
            "clocks": dashboard.clock_performance(user=user, today=today),
            "months": months,
            "chart": dashboard.bar_chart(months),
            "threshold": BREAKDOWN_THRESHOLD,
        },
    )
