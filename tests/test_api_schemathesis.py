"""Property-based testing of the HTTP API against its own OpenAPI spec: schemathesis sends hundreds of generated
requests (valid, invalid, malformed) to a real server on 127.0.0.1 and must find no 5xx and no response that
breaks the spec. Bounded: a fixed seed, a fixed number of examples per operation and a time limit."""
import os, shutil, signal, socket, subprocess, sys, time
from pathlib import Path

import pytest

httpx = pytest.importorskip('httpx')
ROOT = Path(__file__).resolve().parent.parent
# the app as `fashion-reuse serve --no-worker` builds it, with event streams cut after 1 s: the fuzzer reuses job ids it has
# seen, and a stream of a job that never runs (no worker here) would otherwise stay open for the default 600 s
SERVE = ("import sys, uvicorn; from fashion_reuse.api.app import create_app; "
         "uvicorn.run(create_app(out=sys.argv[2], start_worker=False, events_timeout=1), host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')")

def _schemathesis():
    exe = Path(sys.executable).parent/'schemathesis'
    return str(exe) if exe.exists() else shutil.which('schemathesis')

@pytest.mark.timeout(240)
def test_schemathesis_finds_no_server_error(tmp_path):
    st = _schemathesis()
    if st is None: pytest.skip('schemathesis is not installed (pip install -e ".[dev]")')
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1', 'NO_COLOR': '1'}
    log = open(tmp_path/'server.log', 'w')
    # no worker: the fuzzer's jobs are persisted and never run, so the test measures the HTTP layer, not the model
    server = subprocess.Popen([sys.executable, '-c', SERVE, str(port), str(tmp_path/'out')], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        t0 = time.time()
        while True:
            assert server.poll() is None, (tmp_path/'server.log').read_text()[-2000:]
            try:
                if httpx.get(f'http://127.0.0.1:{port}/health', timeout=2).status_code == 200: break
            except httpx.TransportError: pass
            assert time.time() - t0 < 90, 'the server did not start'
            time.sleep(0.3)
        # every check but positive_data_acceptance (a schema cannot say "a real photo": random bytes in a `binary` field are
        # rightly refused, as is /refine with neither image nor session)
        r = subprocess.run([st, 'run', f'http://127.0.0.1:{port}/openapi.json', '--checks', 'all', '--exclude-checks', 'positive_data_acceptance',
                            '--phases', 'examples,coverage,fuzzing,stateful', '--max-examples', '15', '--seed', '1', '--workers', '1',
                            '--request-timeout', '20', '--max-failures', '20'],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=200)
        out = r.stdout + r.stderr
        assert r.returncode == 0, out[-6000:]
        assert 'passed' in out and 'Server error' not in out
    finally:
        server.send_signal(signal.SIGTERM)
        try: server.wait(15)
        except subprocess.TimeoutExpired: server.kill(); server.wait()
        log.close()
    assert 'Traceback' not in (tmp_path/'server.log').read_text()
