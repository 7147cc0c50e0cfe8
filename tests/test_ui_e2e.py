"""End-to-end: the React UI (fashion_reuse/api/static, built from frontend/) in headless Debian Chromium,
driven by Playwright against the API serving a tiny random model in a subprocess. Upload → redesign →
4 ranked results with scores → refine twice → a refused request → history → undo → tailoring; screenshot in outputs/e2e/ui.png."""
import os, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get('FASHION_REUSE_CHROMIUM', '/usr/bin/chromium'))
INDEX = ROOT/'fashion_reuse'/'api'/'static'/'index.html'
SHOT = ROOT/'outputs'/'e2e'/'ui.png'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

@pytest.fixture(scope='module')
def server(tmp_path_factory):
    "The API (on a tiny random model) in a uvicorn subprocess; yields its base URL."
    if not CHROMIUM.exists(): pytest.skip(f'{CHROMIUM} not found: install Debian chromium (apt-get install chromium) to run the browser test')
    pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install playwright; its browsers are not needed)')
    work, port = tmp_path_factory.mktemp('e2e'), _free_port()
    log = open(work/'server.log', 'w')
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1', 'TOKENIZERS_PARALLELISM': 'false'}
    cmd = [sys.executable, str(ROOT/'tests'/'e2e_server.py'), str(port), str(work)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(600):
            if proc.poll() is not None: pytest.fail(f'the API server exited ({proc.returncode}):\n' + (work/'server.log').read_text()[-3000:])
            try:
                with urllib.request.urlopen(url + '/health', timeout=1) as r:
                    if r.status == 200: break
            except OSError: time.sleep(0.1)
        else: pytest.fail('the API server did not answer /health within 60 s:\n' + (work/'server.log').read_text()[-3000:])
        yield url
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()

@pytest.fixture
def garment(tmp_path):
    "A T-shirt image from FMC (built from the Fashion-MNIST sample shipped with the package)."
    from fashion_reuse.data.fmc import build_fmc
    raw = build_fmc(tmp_path/'fmc', n=4, seed=0, progress=False)
    return sorted((raw/'img'/'Tee').glob('*.png'))[0]

def test_ui_is_built():
    "The built UI is committed, so `pip install` users need no Node."
    assert INDEX.exists(), f'{INDEX} is missing: run `npm install && npm run build` in frontend/ and commit fashion_reuse/api/static/'
    assert list(INDEX.parent.glob('assets/*.js')) and './assets/' in INDEX.read_text()

def test_upload_redesign_refine_undo_tailor(server, garment):
    from playwright.sync_api import sync_playwright, expect
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=['--no-sandbox', '--disable-dev-shm-usage'])
        try:
            page = browser.new_page(viewport={'width': 1280, 'height': 900})
            problems = []
            page.on('pageerror', lambda e: problems.append(f'page error: {e}'))
            # a 4xx answer is logged by Chromium too; the refused request below expects one, the UI shows it
            page.on('console', lambda m: m.type == 'error' and 'status of 4' not in m.text and problems.append(f'console: {m.text}'))
            page.goto(server)
            expect(page.get_by_role('heading', name='fashion-reuse')).to_be_visible()

            # the UI explains what is missing instead of sending a bad request
            page.get_by_test_id('generate').click()
            expect(page.get_by_test_id('error')).to_contain_text('upload a garment image')

            page.get_by_label('Redesign my garment').check()
            page.get_by_test_id('garment-input').set_input_files(str(garment))
            page.evaluate('''() => { window.sawProgress = false; new MutationObserver(() => {
                if (document.querySelector('[data-testid=progress]')) window.sawProgress = true }).observe(document.body, {childList: true, subtree: true}) }''')
            page.get_by_test_id('generate').click()
            expect(page.get_by_test_id('error')).to_have_count(0)
            results = page.get_by_test_id('result')
            expect(results).to_have_count(4, timeout=120_000)
            expect(page.get_by_test_id('progress')).to_have_count(0, timeout=10_000)
            assert page.evaluate('window.sawProgress'), 'no progress was shown while the job ran'
            for i in range(4):
                expect(results.nth(i)).to_contain_text(f'#{i + 1}')
                expect(results.nth(i).get_by_test_id('scores')).to_contain_text('clip')
            assert all(page.eval_on_selector_all('[data-testid=result] img', 'els => els.map(e => e.complete && e.naturalWidth > 0)'))
            assert page.eval_on_selector('[data-testid=result] img', 'e => getComputedStyle(e).imageRendering') == 'pixelated'

            # refine the best design in words, twice (a new session, then its continuation), then undo
            history = page.get_by_test_id('history-step')
            for n, req in ((2, 'make it sleeveless'), (3, 'make it pastel pink')):
                page.get_by_test_id('refine-input').fill(req)
                page.get_by_test_id('refine-send').click()
                expect(history).to_have_count(n, timeout=120_000)
                expect(history.nth(n - 1)).to_contain_text(req)
            expect(page.get_by_test_id('chat')).to_contain_text('make it pastel pink')

            # a request the model cannot do: a clear message, and the session is left as it was
            page.get_by_test_id('refine-input').fill('do a barrel roll')
            page.get_by_test_id('refine-send').click()
            expect(page.get_by_test_id('error')).to_contain_text('sleeveless', timeout=60_000)
            expect(history).to_have_count(3)
            page.get_by_test_id('undo').click()
            expect(history).to_have_count(2, timeout=60_000)
            expect(page.get_by_test_id('error')).to_have_count(0)
            expect(page.get_by_test_id('chat')).to_contain_text('undo')

            page.get_by_test_id('tailor').click()
            plan = page.get_by_test_id('tailoring')
            expect(plan).to_contain_text('Tailoring plan', timeout=120_000)
            expect(plan.locator('h3')).to_have_count(1)  # the Markdown is rendered, not shown as text
            assert '**' not in plan.inner_text() and plan.locator('strong').count() > 0
            expect(plan.locator('script')).to_have_count(0)
            expect(page.get_by_test_id('error')).to_have_count(0)
            page.screenshot(path=str(SHOT), full_page=True)
            assert not problems, problems
        finally:
            browser.close()
    print(f'\nscreenshot: {SHOT}  (browser part {time.time() - t0:.1f} s)')
    assert SHOT.stat().st_size > 10_000
