"""The built site served on 127.0.0.1 and one headless Chromium for the whole session.

Every test gets the same page and fails if, while it ran, any page asked for something off
127.0.0.1 or logged a console error or an uncaught exception.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    ViewportSize,
    WebError,
    sync_playwright,
)

from sitebuild import TOOLS_CACHE, assemble, build

from .pages import Site
from .shipped import DATA_ROOT, LOAD_ERRORS, REPO

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
"""The browser the suite drives: Debian's chromium unless PLAYBOOK_CHROMIUM names another build."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE_VERSION = "4.14.1"
AXE_PREFIX = TOOLS_CACHE / f"axe-core-{AXE_VERSION}"
AXE_SCRIPT = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-results" / "screenshots"


def missing_tool(message: str) -> None:
    """A missing system tool skips the suite on a workstation, and fails it in CI, where it must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


AXE_URL = "/__tests__/axe-core/axe.min.js"
"""Where every site the tests serve has axe-core (``violations`` in test_accessibility.py): a script of the page's own
origin, which Chromium caches compiled after its first loads, where a script tag with the file's text inside is
compiled again on every page (0.3 s of CPU each)."""


class _QuietHandler(SimpleHTTPRequestHandler):
    """The site's files, and axe-core at ``AXE_URL``; nothing logged."""

    def translate_path(self, path: str) -> str:
        if urlsplit(path).path == AXE_URL:
            return str(AXE_SCRIPT)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def _build(data_root: Path, target: Path) -> Path:
    """The playbook's site, built the way `playbook build` builds it; the test fails on a failed build."""
    root = assemble(data_root, target)
    site_dir = root / "site"
    result = build(root, site_dir)
    if result.returncode != 0:
        pytest.fail(f"playbook build failed:\n{result.stdout}\n{result.stderr}")
    return root


@contextmanager
def _served(root: Path) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root / "site")))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield Site(root=root, base=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if LOAD_ERRORS:
        pytest.fail(f"the playbook in {DATA_ROOT} has errors; fix them first:\n" + "\n".join(LOAD_ERRORS))
    target = tmp_path_factory.mktemp("playbook")
    if DATA_ROOT == REPO:
        # The other tests' default_site, built once for the run; copied, as tests here write beside its pages.
        root = Path(shutil.copytree(request.getfixturevalue("default_site").parent, target, dirs_exist_ok=True))
    else:
        root = _build(DATA_ROOT, target)
    with _served(root) as served:
        yield served


@pytest.fixture(scope="session")
def other_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], Site]]:
    """Sites of other playbooks (fixtures, synthetic ones), each built and served once a session."""
    with ExitStack() as stack:
        built: dict[Path, Site] = {}

        def site_of(data_root: Path) -> Site:
            if data_root not in built:
                root = _build(data_root, tmp_path_factory.mktemp(data_root.name))
                built[data_root] = stack.enter_context(_served(root))
            return built[data_root]

        yield site_of


@pytest.fixture(scope="session", autouse=True)
def chromium() -> Path:
    """The browser binary; looked for first, before the site is built."""
    if not CHROMIUM.exists():
        missing_tool(f"Debian chromium not installed at {CHROMIUM}: apt-get install chromium "
                     "(or set PLAYBOOK_CHROMIUM to a Chromium executable)")
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as runner:
        yield runner


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium: Path) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What the pages did that no test allows."""

    host: str
    port: int
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        url = urlsplit(request.url)
        # Inline images (the theme's icons) are data: URLs and never leave the page.
        if url.scheme == "data":
            return
        if url.scheme != "http" or url.hostname != self.host or url.port != self.port:
            self.offsite.append(f"{request.resource_type} {request.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console error: {message.text} ({where})")

    def on_page_error(self, error: WebError) -> None:
        self.errors.append(f"uncaught exception: {error.error}")

    def problems(self) -> list[str]:
        return [f"request off 127.0.0.1: {url}" for url in self.offsite] + self.errors

    def clear(self) -> None:
        self.offsite.clear()
        self.errors.clear()


@pytest.fixture(scope="session")
def watch(site: Site) -> Watch:
    url = urlsplit(site.base)
    assert url.hostname is not None and url.port is not None
    return Watch(url.hostname, url.port)


DESKTOP: ViewportSize = {"width": 1280, "height": 900}
"""The size of every page the suite opens, unless a test says otherwise."""
PHONE: ViewportSize = {"width": 390, "height": 844}
"""A phone held upright (an iPhone 12 to 15's screen in CSS pixels)."""


def _new_context(browser: Browser, watch: Watch, color_scheme: Literal["light", "dark"],
                 viewport: ViewportSize = DESKTOP) -> BrowserContext:
    context = browser.new_context(viewport=viewport, locale="en-US", color_scheme=color_scheme)
    context.set_default_timeout(10_000)
    context.on("request", watch.on_request)
    context.on("console", watch.on_console)
    context.on("weberror", watch.on_page_error)
    return context


def _checked(page: Page, watch: Watch) -> Iterator[Page]:
    watch.clear()
    yield page
    problems = watch.problems()
    watch.clear()
    if problems:
        pytest.fail("the pages did what no page may do:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def context(browser: Browser, watch: Watch) -> Iterator[BrowserContext]:
    context = _new_context(browser, watch, "light")
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def page(shared_page: Page, watch: Watch) -> Iterator[Page]:
    """The session's page, checked after the test for off-site requests and script errors."""
    yield from _checked(shared_page, watch)


@pytest.fixture(scope="session")
def dark_shared_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    # A context of its own: the theme remembers the colour scheme a visit started with.
    context = _new_context(browser, watch, "dark")
    yield context.new_page()
    context.close()


@pytest.fixture
def dark_page(dark_shared_page: Page, watch: Watch) -> Iterator[Page]:
    """A page whose browser prefers the dark colour scheme, checked like ``page``."""
    yield from _checked(dark_shared_page, watch)


@pytest.fixture(scope="session")
def phone_shared_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    context = _new_context(browser, watch, "light", PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(phone_shared_page: Page, watch: Watch) -> Iterator[Page]:
    """A page 390 px wide, checked like ``page``."""
    yield from _checked(phone_shared_page, watch)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed once per machine into the tests' tools cache (one xdist worker at
    a time)."""
    package = AXE_SCRIPT.parent / "package.json"
    AXE_PREFIX.mkdir(parents=True, exist_ok=True)
    with open(AXE_PREFIX.parent / "axe.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install_axe(package)
    return AXE_SCRIPT


def _install_axe(package: Path) -> None:
    if not package.exists() or json.loads(package.read_text(encoding="utf-8"))["version"] != AXE_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            missing_tool("npm not installed (needed once to fetch axe-core): apt-get install npm")
        assert npm is not None
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_PREFIX),
                   f"axe-core@{AXE_VERSION}"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not AXE_SCRIPT.exists():
            pytest.fail(f"could not install axe-core {AXE_VERSION}:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@contextmanager
def checked_page(browser: Browser, site: Site) -> Iterator[Page]:
    """A page of its own for a site other than ``site``, checked like ``page`` when the block ends."""
    url = urlsplit(site.base)
    assert url.hostname is not None and url.port is not None
    watch = Watch(url.hostname, url.port)
    context = _new_context(browser, watch, "light")
    try:
        yield from _checked(context.new_page(), watch)
    finally:
        context.close()
