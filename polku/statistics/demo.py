"""The statistics demo: five years of returns, then two population estimates."""

from polku.statistics import demo_estimates, demo_returns


def load() -> dict[str, int]:
    returns = demo_returns.load()
    estimates = demo_estimates.load()
    return {**returns, **estimates}


def summary(created: dict[str, int]) -> list[str]:
    return [
        f"Demo statistics returns created: {created['returns']} (validators: "
        f"{created['validators']}, population years: {created['population_years']}).",
        f"Demo population estimates created: {created['estimates']}.",
        "Statistics returns are also filled and validated by:",
        *(
            f"  {username:<15} {title}, {organisation}"
            for username, title, organisation in demo_returns.DEMO_LOGINS
        ),
    ]
