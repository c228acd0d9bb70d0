"""Playwright driving Debian's Chromium against the live test server, with axe-core checks.

Loaded as a plugin by the root conftest.py, so every app's browser tests share one browser.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.tasks import TaskResult
from django.tasks.signals import task_enqueued
from django.test import override_settings
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from polku.accounts.models import User

# Playwright's synchronous API runs an event loop in the test thread; the database calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The password the browser tests give a person before signing them in.
PASSWORD = "a-long-demo-password"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium was not found at {CHROMIUM}; `make test` installs it with apt.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class CheckedPage:
    """A page whose every visit is checked by axe-core and for console errors."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.checked: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def check(self) -> None:
        """Runs axe-core (WCAG 2.1 AA) on the current page and fails on any violation."""
        results = Axe().run(
            self.page,
            options={"runOnly": {"type": "tag", "values": WCAG_21_AA}},
        )
        url = self.page.url
        self.checked.append(url)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
        assert not self.console_errors, f"{url}: {self.console_errors}"

    def visit(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def visit_error(self, path: str, status: int) -> None:
        """Visits a page answered with an error status, which the browser itself logs once.

        The browser's report may come a moment after the page has loaded, so the visit waits
        for it; any other console error still fails the check."""
        own_report = f"the server responded with a status of {status}"
        with self.page.expect_console_message(
            lambda message: message.type == "error" and own_report in message.text
        ):
            response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path}: not {status}"
        reports = [error for error in self.console_errors if own_report in error]
        assert reports, f"{path}: the browser did not report the {status}"
        self.console_errors.remove(reports[0])
        self.check()

    def keep_screenshot(self, name: str, part: Locator | None = None) -> None:
        """Saves a screenshot of the page, or of one part of it, for a person to look at,
        when POLKU_SCREENSHOTS names a folder; does nothing otherwise."""
        folder = os.environ.get("POLKU_SCREENSHOTS")
        if not folder:
            return
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if part is None:
            self.page.screenshot(path=path, full_page=True)
        else:
            part.screenshot(path=path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


@pytest.fixture
def checked_page(
    browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[CheckedPage]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield CheckedPage(page, live_server.url)
    context.close()


def submit_sign_in(page: CheckedPage, username: str, password: str) -> None:
    """Fills the sign-in form with the username and password given and sends it."""
    page.visit("/accounts/login/")
    page.get_by_label(re.compile("User ?name", re.IGNORECASE)).fill(username)
    page.get_by_label(re.compile("Password", re.IGNORECASE)).fill(password)
    page.locator("main").get_by_role("button", name=re.compile("Sign in", re.IGNORECASE)).click()
    page.check()


def sign_in(page: CheckedPage, user: User) -> None:
    """Saves the person with the tests' password (and any change the test made to them) and
    signs them in."""
    user.set_password(PASSWORD)
    user.save()
    submit_sign_in(page, user.username, PASSWORD)


def sign_out(page: CheckedPage) -> None:
    """Signs out with the header's button."""
    page.get_by_role("button", name=re.compile("Sign out", re.IGNORECASE)).first.click()
    page.check()


@pytest.fixture
def browser_for(
    browser: Browser, live_server: Any, checked_page: CheckedPage
) -> Iterator[Callable[[User], CheckedPage]]:
    """Signs a person in in a browser of their own (a new context: own cookies, own session)."""
    contexts = []

    def open_for(user: User) -> CheckedPage:
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        checked = CheckedPage(page, live_server.url)
        sign_in(checked, user)
        return checked

    yield open_for
    for context in contexts:
        context.close()


class TaskQueue:
    """The tasks the pages have enqueued, waiting for the test to play the worker."""

    def __init__(self) -> None:
        self.waiting: list[TaskResult[Any, Any]] = []

    def enqueued(self, sender: object, task_result: TaskResult[Any, Any], **kwargs: Any) -> None:
        self.waiting.append(task_result)

    def run_next(self) -> Any:
        """Runs the oldest waiting task in the test's thread and returns what it returns."""
        result = self.waiting.pop(0)
        return result.task.call(*result.args, **result.kwargs)


@pytest.fixture
def task_queue() -> Iterator[TaskQueue]:
    """Tasks wait in the queue instead of running at once, so a page can show them waiting
    and in progress; the test runs them with ``run_next``."""
    queue = TaskQueue()
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ):
        task_enqueued.connect(queue.enqueued, weak=False)
        try:
            yield queue
        finally:
            task_enqueued.disconnect(queue.enqueued)
