"""A guideline's text as a tagged PDF (PDF/UA-1), made with WeasyPrint.

The PDF is laid out from the same HTML and stylesheet as the print-friendly page, carries
the language of the text and its title as the document title, and has a structure tree
(headings, paragraphs, lists, tables) so screen readers can read it.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from polku.guidelines.markdown import paragraphs_html
from polku.guidelines.models import Guideline, GuidelineText

STYLESHEET = "guidelines/document.css"


def _stylesheet_path() -> str:
    path = finders.find(STYLESHEET)
    assert isinstance(path, str), STYLESHEET
    return path


def document_context(*, guideline: Guideline, text: GuidelineText) -> dict[str, object]:
    """What the print page and the PDF show: the text and the guideline's particulars."""
    return {
        "guideline": guideline,
        "text": text,
        "paragraphs": paragraphs_html(text.paragraphs),
        "address": settings.SITE_URL.rstrip("/") + guideline.get_absolute_url(),
    }


def guideline_pdf(
    *, guideline: Guideline, text: GuidelineText, uncompressed: bool = False
) -> bytes:
    """The text as a PDF/UA-1 document, its particulars in the text's own language."""
    with translation.override(text.language):
        html = render_to_string(
            "guidelines/guideline_pdf.html",
            {**document_context(guideline=guideline, text=text), "LANGUAGE_CODE": text.language},
        )
    # Imported here: WeasyPrint parses its own stylesheets (and logs it) when imported.
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=settings.SITE_URL)
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=_stylesheet_path())],
        pdf_variant="pdf/ua-1",
        uncompressed_pdf=uncompressed,
    )
    return pdf
