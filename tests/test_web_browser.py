"""The workspace in a real browser: Debian's headless Chromium driven by Selenium (the system
chromedriver, no Selenium Manager download) against `ipsmatch serve` on loopback, run exactly
as a user would after `ipsmatch demo` (the demo database and its one-time login).

Screenshots of the main pages go to ``test-artifacts/`` (gitignored) for a person to look at.
One server and one browser for the whole module; the tests run in order (one user's visit).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _web import REPO, env_for, make_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`ipsmatch serve` in a child process; its stderr is collected line by line."""

    def __init__(self, cwd: Path, port: int, *extra: str) -> None:
        self.cwd = cwd
        self.port = port
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipsmatch", "serve", "--port", str(port), *extra], cwd=cwd,
            env=env_for(cwd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 120) -> None:
        import httpx

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError("serve exited:\n" + "\n".join(self.lines))
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("serve did not start:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser")
    make_demo(tmp)
    srv = Server(tmp, _free_port())
    try:
        srv.wait_ready()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-extensions",
                "--window-size=1280,1000", f"--user-data-dir={profile}", "--lang=da"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(120)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver: Any, name: str, *, full: bool = True) -> Path:
    """Save a screenshot of the whole page (its full height) to test-artifacts/."""
    path = ARTIFACTS / f"{name}.png"
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(int(height) + 40, 800), 6000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


def wait_for(driver: Any, css: str, timeout: float = 60) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_until(driver: Any, cond: Any, timeout: float = 60) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(cond)


def demo_login(server: Server) -> tuple[str, str]:
    text = "\n".join(server.lines)
    m = re.search(r"Demo login \(shown once\): user (\S+), password (\S+)", text)
    assert m, "serve did not print the demo login:\n" + text
    return m.group(1), m.group(2)


@pytest.fixture
def signed_in(server: Server, browser: Any) -> None:
    """Log in unless the visit already has (so one test can also run alone, ``-k career``)."""
    from selenium.webdriver.common.by import By

    if any(c["name"] == "ipsm_session" for c in browser.get_cookies()):
        return
    browser.get(server.url + "/login")
    user, password = demo_login(server)
    wait_for(browser, "#username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login").click()
    wait_for(browser, "#logout")


# --- the visit, in order --------------------------------------------------------------------

def test_serve_prints_the_demo_login_once(server: Server) -> None:
    text = "\n".join(server.lines)
    assert text.count("Demo login (shown once)") == 1
    assert "Serving the demo database" in text


def test_login(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-01")
    wait_for(browser, "#username")
    assert "/login" in browser.current_url
    shot(browser, "01-login", full=False)
    user, password = demo_login(server)
    browser.find_element(By.ID, "username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login").click()
    wait_for(browser, "#h-vac")
    assert browser.current_url.endswith("/citizens/demo-01")  # back where we were sent from
    cookies = {c["name"]: c for c in browser.get_cookies()}
    assert cookies["ipsm_session"]["httpOnly"] is True
    assert cookies["ipsm_session"]["sameSite"] == "Lax"


@pytest.mark.usefixtures("signed_in")
def test_caseload(server: Server, browser: Any) -> None:
    browser.get(server.url + "/caseload")
    table = wait_for(browser, "#caseload")
    assert "demo-01" in table.text and "demo-05" in table.text
    shot(browser, "02-caseload")


def _suggestion_titles(browser: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#suggestions .sugg h3")]


@pytest.mark.usefixtures("signed_in")
def test_citizen_suggestions_and_not_interested(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-01")
    wait_for(browser, "#suggestions .sugg")
    first = browser.find_element(By.CSS_SELECTOR, "#suggestions .sugg")
    assert first.find_elements(By.CSS_SELECTOR, "ul.reasons li"), "no reasons shown"
    assert browser.find_elements(By.CSS_SELECTOR, "#questions li"), "no questions gathered"
    shot(browser, "03-citizen")
    shot(browser, "04-citizen-top", full=False)  # the README's picture (docs/)
    browser.set_window_size(820, 1180)  # a tablet, upright
    browser.save_screenshot(str(ARTIFACTS / "04-citizen-tablet.png"))
    browser.set_window_size(1280, 1000)
    before = _suggestion_titles(browser)
    ext_id = first.find_element(By.CSS_SELECTOR, "input[name=external_id]").get_attribute(
        "value")
    first.find_element(By.CSS_SELECTOR, "button[data-verdict=not_interested]").click()
    wait_until(browser, lambda d: "saved=2" in d.current_url
               or d.find_elements(By.CSS_SELECTOR, ".notice"))
    wait_for(browser, "#suggestions .sugg")
    ids = [e.get_attribute("value") for e in
           browser.find_elements(By.CSS_SELECTOR, "#suggestions input[name=external_id]")]
    assert ext_id not in ids, "the ad marked not interested is still suggested"
    after = _suggestion_titles(browser)
    assert after and after != before


@pytest.mark.usefixtures("signed_in")
def test_profile_error_is_shown_in_danish(server: Server, browser: Any) -> None:
    """A 400 answer is shown too (htmx swaps error pages in; without JS it is a plain page)."""
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-02")
    field = wait_for(browser, "#f-postcode")
    field.clear()
    field.send_keys("0000")
    browser.find_element(By.ID, "save-profile").click()
    err = wait_for(browser, "#profile .error")
    assert 'Hjemmets postnummer: "0000" er ikke et kendt dansk postnummer' in err.text
    assert browser.find_element(By.ID, "f-postcode").get_attribute("value") == "0000"
    shot(browser, "04c-profile-error", full=False)


@pytest.mark.usefixtures("signed_in")
def test_interested_goes_on_the_printable_list(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-01")
    card = wait_for(browser, "#suggestions .sugg")
    title = card.find_element(By.CSS_SELECTOR, "h3").text
    card.find_element(By.CSS_SELECTOR, "button[data-verdict=interested]").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".notice"))
    browser.get(server.url + "/citizens/demo-01/print")
    items = wait_for(browser, ".print-list ol.jobs")
    text = items.text
    assert title in text
    assert "Afstand" in text and "min" in text
    page = browser.page_source
    assert "score" not in page.lower()  # no scores on the list for the citizen
    shot(browser, "05-print")
    # the print stylesheet hides the navigation
    hidden = browser.execute_script(
        "var s=[...document.styleSheets].flatMap(x=>[...x.cssRules]);"
        "return s.some(r=>r.media && r.media.mediaText==='print');")
    assert hidden


@pytest.mark.usefixtures("signed_in")
def test_map_is_drawn_with_home_and_markers(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-01/map")
    svg = wait_for(browser, "svg.map")
    assert svg.find_elements(By.CSS_SELECTOR, ".marker-home")
    assert len(svg.find_elements(By.CSS_SELECTOR, ".marker-ad")) >= 3
    assert svg.find_elements(By.CSS_SELECTOR, ".marker-employer")
    assert svg.find_elements(By.CSS_SELECTOR, "circle.reach")
    assert len(svg.find_elements(By.CSS_SELECTOR, "path.land")) >= 2
    size = svg.size
    assert size["width"] > 400 and size["height"] > 400
    # nothing but the app itself was asked for (no tiles, no CDN)
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(server.url) for u in urls), urls
    shot(browser, "06-map")


@pytest.mark.usefixtures("signed_in")
def test_log_a_contact_and_see_the_fidelity_figure_change(server: Server, browser: Any
                                                          ) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server.url + "/fidelity")
    before = int(wait_for(browser, "#team-f2f").text)
    shot(browser, "07-fidelity")
    browser.get(server.url + "/citizens/demo-01")
    wait_for(browser, "#employers")
    link = browser.find_element(By.CSS_SELECTOR, "#employers .sugg h3 a")
    link.click()
    form = wait_for(browser, "#contact form")
    assert browser.find_element(By.ID, "c-citizen").get_attribute("value") == "demo-01"
    Select(browser.find_element(By.ID, "c-kind")).select_by_value("face-to-face")
    Select(browser.find_element(By.ID, "l-open_to_part_time")).select_by_value("yes")
    browser.find_element(By.ID, "c-outcome").send_keys("Vil gerne se en kandidat")
    browser.find_element(By.ID, "c-next").send_keys("Ring igen")
    shot(browser, "08-employer")
    form.find_element(By.ID, "save-contact").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "Vil gerne se en kandidat" in browser.find_element(By.ID, "contacts").text
    browser.get(server.url + "/fidelity")
    after = int(wait_for(browser, "#team-f2f").text)
    assert after == before + 1


@pytest.mark.usefixtures("signed_in")
def test_search_planner_and_index(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/search")
    wait_for(browser, "#s-q").send_keys("lager")
    browser.find_element(By.ID, "s-near").send_keys("9000")
    browser.find_element(By.ID, "search-button").click()
    wait_for(browser, "#results")
    assert browser.find_elements(By.CSS_SELECTOR, "#results .sugg")
    assert "lager" not in browser.current_url  # the search text is not in the URL
    shot(browser, "09-search")
    browser.get(server.url + "/jobdev")
    wait_for(browser, "#plan")
    shot(browser, "10-jobdev")
    browser.get(server.url + "/index-status")
    assert int(wait_for(browser, "#active-ads").text) > 100


def _text_of(driver: Any, element_id: str) -> str:
    """The element's text, read in one step (htmx may swap the page between a find and a
    read)."""
    return str(driver.execute_script(
        "var e = document.getElementById(arguments[0]); return e ? e.innerText : '';",
        element_id))


@pytest.mark.usefixtures("signed_in")
def test_career_form_and_the_sheet(server: Server, browser: Any) -> None:
    """Fill the career profile in the form (a bad year first: the error is shown at its
    field and nothing typed is lost), then open the jobudviklingsark and tick a strength."""
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-06")
    wait_for(browser, "#link-career").click()
    wait_for(browser, "#career form")
    assert browser.find_element(By.ID, "wh-0-title").get_attribute("value") == "Opvasker"
    browser.find_element(By.ID, "c-wants").clear()
    browser.find_element(By.ID, "c-wants").send_keys("Lave mad med faste kolleger")
    browser.find_element(By.ID, "wh-2-title").send_keys("Pizzabager")
    browser.find_element(By.ID, "wh-2-employer").send_keys("Pizzeria i Vejgaard")
    browser.find_element(By.ID, "wh-2-from").send_keys("2024")
    browser.find_element(By.ID, "wh-2-to").send_keys("2O25")  # a letter O, as people type
    browser.find_element(By.ID, "wh-2-went_well").send_keys("Hurtig ved ovnen")
    strengths = browser.find_element(By.ID, "c-strengths")
    strengths.send_keys("\nrolig under travlhed")
    browser.find_element(By.ID, "save-career").click()
    err = wait_for(browser, "#err-wh-2-to")
    assert 'skal være et årstal som 2019, ikke "2O25"' in err.text
    assert browser.find_element(By.ID, "wh-2-to").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "wh-2-went_well").get_attribute("value") == \
        "Hurtig ved ovnen"
    assert "rolig under travlhed" in browser.find_element(By.ID, "c-strengths"
                                                          ).get_attribute("value")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", err)
    shot(browser, "11-career-error", full=False)  # docs/screenshot-career.png
    field = browser.find_element(By.ID, "wh-2-to")
    field.clear()
    field.send_keys("2025")
    browser.find_element(By.ID, "save-career").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".notice"))
    assert browser.find_element(By.ID, "wh-2-title").get_attribute("value") == "Pizzabager"
    shot(browser, "11-career")

    browser.get(server.url + "/citizens/demo-06/sheet")
    sheet = wait_for(browser, "#sheet")
    assert "Pizzabager" not in sheet.text and "rolig under travlhed" not in sheet.text
    box = browser.find_element(By.CSS_SELECTOR, "input[value='career.strengths[2]']")
    box.click()
    browser.find_element(By.CSS_SELECTOR, "input[value='career.work_history[2]']").click()
    browser.find_element(By.ID, "update-sheet").click()
    wait_until(browser, lambda d: "rolig under travlhed" in _text_of(d, "sheet"))
    text = browser.find_element(By.ID, "sheet").text
    assert "Pizzabager (2024–2025)" in text and "Fleksibel mødetid" in text
    assert "Aftenvagterne" not in browser.page_source  # what went badly: never
    shot(browser, "12-sheet")  # docs/screenshot-sheet.png
    # printed, the page is the sheet alone: no menu, no tick boxes, no buttons
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['header.top', 'aside.no-print', '.page-head'].map("
            "s => getComputedStyle(document.querySelector(s)).display)")
        assert all(h == "none" for h in hidden), hidden
        assert "rolig under travlhed" in _text_of(browser, "sheet")
        shot(browser, "12b-sheet-print", full=False)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.usefixtures("signed_in")
def test_follow_along_report_and_funder_pages(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/citizens/demo-06/followup")
    line = wait_for(browser, "#jobs .timeline-line")
    assert line.text.split()[:3] == ["8", "→", "12"]
    shot(browser, "13-followup")
    browser.get(server.url + "/citizens/demo-06/report")
    wait_for(browser, "#r-comment").send_keys("Jeg er glad for køkkenet")
    browser.find_element(By.ID, "make-report").click()
    wait_until(browser, lambda d: "Jeg er glad for køkkenet" in _text_of(d, "report"))
    shot(browser, "14-report")
    browser.get(server.url + "/funder")
    wait_for(browser, "#funder-rule")
    shot(browser, "15-funder", full=False)


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.10.3" / "axe.min.js"


@pytest.mark.usefixtures("signed_in")
def test_accessibility_with_axe(server: Server, browser: Any) -> None:
    """axe-core's WCAG 2.1 A/AA rules (contrast, labels, landmarks, ...) on the main pages."""
    source = AXE.read_text(encoding="utf-8")
    problems = []
    for path in ("/caseload", "/citizens/demo-01", "/citizens/demo-01/map",
                 "/citizens/demo-01/print", "/employers/1", "/search", "/fidelity",
                 "/jobdev", "/index-status", "/citizens/demo-06/career",
                 "/citizens/demo-06/sheet", "/citizens/demo-06/followup",
                 "/citizens/demo-06/report", "/funder"):
        browser.get(server.url + path)
        wait_for(browser, "main")
        browser.execute_script(source)  # through the driver: not subject to the page's CSP
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => done({passes: r.passes.length, violations: r.violations.map("
            "v => [v.id, v.impact, v.nodes.length, "
            "v.nodes.slice(0, 3).map(n => n.target.join(' '))])}))"
            ".catch(e => done({passes: 0, violations: [['axe-error', String(e), 0, []]]}));")
        assert result["passes"] >= 10, (path, result)  # axe ran and checked things
        problems += [(path, *v) for v in result["violations"]]
    assert problems == []


@pytest.mark.usefixtures("signed_in")
def test_keyboard_reaches_the_first_action(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/citizens/demo-01")
    wait_for(browser, "#suggestions .sugg")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip"  # "Spring til indhold" comes first


@pytest.mark.usefixtures("signed_in")
def test_logout(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/caseload")
    wait_for(browser, "#logout").click()
    wait_for(browser, "#username")
    browser.get(server.url + "/citizens/demo-01")
    wait_for(browser, "#username")
    assert "/login" in browser.current_url
    assert "demo-01" not in browser.find_element(By.TAG_NAME, "main").text
    log = "\n".join(server.lines)
    assert "password" not in log.split("Demo login (shown once)")[1].split("\n", 1)[1]


def test_secure_cookie_only_behind_a_trusted_proxy(server: Server) -> None:
    """X-Forwarded-Proto is ignored unless serve trusts the proxy (--forwarded-allow-ips);
    trusted, the cookies are Secure and HSTS is sent (the session cookie uses the same rule,
    see test_web_security.test_session_cookie_flags)."""
    import httpx

    def login_page(url: str) -> httpx.Response:
        return httpx.get(url + "/login", headers={"X-Forwarded-Proto": "https"})

    r = login_page(server.url)
    assert "secure" not in r.headers["set-cookie"].lower()  # the header alone is not trusted
    assert "strict-transport-security" not in r.headers
    proxied = Server(server.cwd, _free_port(), "--forwarded-allow-ips", "127.0.0.1")
    try:
        proxied.wait_ready()
        r = login_page(proxied.url)
        assert "secure" in r.headers["set-cookie"].lower()
        assert "httponly" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")
    finally:
        proxied.stop()
