"""Load on the HTTP API: concurrent submissions from a second process all complete, none lost or duplicated.

    python benchmarks/api_load.py [--model mini|tiny] [--jobs 20] [--n 4] [--top 1] [--steps N] [--port 0]

Starts the API server in a subprocess (`fashion-reuse serve`'s code; default the shipped mini backend, falling back to
a tiny random model when checkpoints/mini/sd is missing; `--model tiny` forces it), waits for one warm-up job, then from
this process submits --jobs `POST /generate` requests at once (one thread each, released together by a barrier) and
follows each job with its server-sent events until it is done or failed. Checks: every submission got a distinct job
id, every job is done, each result carries the prompt and seed it was asked for, the server's database holds exactly
those jobs (none lost, none duplicated), and every image URL answers a PNG. Prints throughput (jobs/s, from the first
submission to the last completion) and the p50/p95 latency a client saw (submission -> done), with the server's own
queue wait and run time per job. Traffic goes to 127.0.0.1 only; the script stops its server when it ends.
"""
import argparse, json, os, socket, sqlite3, statistics, subprocess, sys, tempfile, threading, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE = ("import argparse, sys; from fashion_reuse.api.commands import register; p = argparse.ArgumentParser(); "
         "register(p.add_subparsers()); a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))")


def tiny_model(folder: Path) -> Path:
    "A random TINY mini-SD pipeline (32 px) for machines without the trained mini model."
    import torch
    from fashion_reuse.models import mini_sd as msd
    torch.manual_seed(0)
    te, tok = msd.tiny_text_encoder()
    msd.save_pipeline(msd.assemble_pipeline(msd.build_vae(msd.TINY), msd.build_unet(msd.TINY, te.config.hidden_size), te, tok, msd.TINY), folder/'sd')
    return folder/'sd'


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * (len(xs) - 1))))]


def follow(http, url: str, jid: str, timeout: float) -> dict:
    "The job's final JSON, read from its event stream (reconnecting if the stream ends first)."
    t0, last = time.time(), None
    while time.time() - t0 < timeout:
        with http.stream('GET', f'{url}/jobs/{jid}/events', timeout=timeout) as s:
            for line in s.iter_lines():
                if line.startswith('data: '):
                    last = json.loads(line[6:])
                    if last['status'] in ('done', 'failed'): return last
    raise TimeoutError(f'job {jid} not finished after {timeout:.0f} s: {last}')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', choices=['mini', 'tiny'], default='mini', help='the shipped mini backend (default) or a tiny random model')
    ap.add_argument('--jobs', type=int, default=20, help='concurrent submissions (default 20)')
    ap.add_argument('--n', type=int, default=4, help='candidates per job (default 4)')
    ap.add_argument('--top', type=int, default=1)
    ap.add_argument('--steps', type=int, default=None, help='denoising steps (default: configs/inference.yaml)')
    ap.add_argument('--port', type=int, default=0, help='0: a free port')
    ap.add_argument('--timeout', type=float, default=900, help='seconds to wait for all jobs')
    a = ap.parse_args()
    import httpx

    work = Path(tempfile.mkdtemp(prefix='api_load_'))
    sets = []
    model = a.model
    if model == 'mini' and not (ROOT/'checkpoints'/'mini'/'sd'/'model_index.json').exists():
        print('checkpoints/mini/sd is missing: using a tiny random model instead')
        model = 'tiny'
    if model == 'tiny': sets += [f'backends.mini.base_model={tiny_model(work)}', 'backends.mini.resolution=32', 'backends.mini.controlnet=null',
                                 'backends.mini.ip_adapter=null', 'backends.mini.inpaint_model=null']
    port = a.port
    if not port:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    url, db = f'http://127.0.0.1:{port}', work/'jobs.sqlite'
    cmd = [sys.executable, '-c', SERVE, 'serve', '--port', str(port), '--out', str(work/'outputs'), '--db', str(db), '--log-level', 'warning']
    if sets: cmd += ['--set', *sets]
    log = open(work/'server.log', 'w')
    t_launch = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    try:
        http = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=2 * a.jobs + 4))
        while True:
            if server.poll() is not None: sys.exit(f"the server exited: {(work/'server.log').read_text()[-2000:]}")
            try:
                h = http.get(f'{url}/health').json(); break
            except httpx.TransportError: time.sleep(0.3)
        print(f"server up in {time.perf_counter() - t_launch:.1f} s: backend {h['backend']} ({model}), worker alive {h['worker']}; "
              f"{a.jobs} jobs of n={a.n}, top={a.top}, steps={a.steps or 'default'}")
        t = time.perf_counter()
        warm = follow(http, url, http.post(f'{url}/generate', json=dict(prompt='a warm-up shirt', n=a.n, top=a.top, steps=a.steps)).json()['job_id'], a.timeout)
        assert warm['status'] == 'done', warm
        print(f"warm-up job (model loading included): {time.perf_counter() - t:.2f} s")

        barrier, lock, rows = threading.Barrier(a.jobs), threading.Lock(), []
        def client(i):
            req = dict(prompt=f'a red striped t-shirt, variant {i}', n=a.n, top=a.top, seed=1000 + i, steps=a.steps)
            barrier.wait()
            t0 = time.perf_counter()
            r = http.post(f'{url}/generate', json=req)
            t_acc = time.perf_counter()
            job = follow(http, url, r.json()['job_id'], a.timeout) if r.status_code == 202 else dict(status=f'refused {r.status_code}', id=None)
            with lock: rows.append(dict(i=i, req=req, code=r.status_code, job=job, t0=t0, accepted=t_acc - t0, end=time.perf_counter()))
        threads = [threading.Thread(target=client, args=(i,)) for i in range(a.jobs)]
        for th in threads: th.start()
        for th in threads: th.join()

        ids = [r['job']['id'] for r in rows]
        problems = []
        if len(rows) != a.jobs: problems.append(f'{a.jobs - len(rows)} client(s) got no answer')
        if len(set(ids)) != len(ids) or None in ids: problems.append(f'job ids not distinct: {ids}')
        for r in rows:
            j = r['job']
            if j.get('status') != 'done': problems.append(f"job {j.get('id')} ended {j.get('status')}: {j.get('error')}")
            elif (j['result']['prompt'], j['result']['seed']) != (r['req']['prompt'], r['req']['seed']): problems.append(f"job {j['id']} holds another request's result")
            else:
                for im in j['result']['images']:
                    resp = http.get(url + im['url'])
                    if resp.status_code != 200 or resp.content[:8] != b'\x89PNG\r\n\x1a\n': problems.append(f"{im['url']}: {resp.status_code}")
        with sqlite3.connect(db) as c:
            on_server = [r[0] for r in c.execute("SELECT id FROM jobs WHERE params LIKE '%variant%'")]
            timing = {r[0]: (r[1], r[2], r[3]) for r in c.execute('SELECT id, created, started, finished FROM jobs')}
        if sorted(on_server) != sorted(ids): problems.append(f'the server holds {len(on_server)} jobs for {len(ids)} submissions')

        lat = [r['end'] - r['t0'] for r in rows]
        span = max(r['end'] for r in rows) - min(r['t0'] for r in rows)
        wait_q = [timing[i][1] - timing[i][0] for i in ids if i in timing and timing[i][1]]
        run = [timing[i][2] - timing[i][1] for i in ids if i in timing and timing[i][2] and timing[i][1]]
        print(f"{len(rows)} submitted, {sum(r['job'].get('status') == 'done' for r in rows)} done, "
              f"{len(set(ids))} distinct ids, {len(on_server)} on the server: {'OK' if not problems else 'PROBLEMS'}")
        for p in problems[:10]: print('  -', p)
        print(f"throughput        {len(rows) / span:.2f} jobs/s  ({len(rows)} jobs in {span:.1f} s, {len(rows) * a.n / span:.1f} images/s generated)")
        print(f"latency (client)  p50 {pct(lat, 50):.2f} s   p95 {pct(lat, 95):.2f} s   max {max(lat):.2f} s")
        print(f"202 answer        p50 {pct([r['accepted'] for r in rows], 50) * 1000:.0f} ms   p95 {pct([r['accepted'] for r in rows], 95) * 1000:.0f} ms")
        if run: print(f"server run time   p50 {statistics.median(run):.2f} s per job; queue wait p50 {statistics.median(wait_q):.2f} s, max {max(wait_q):.2f} s")
        sys.exit(1 if problems else 0)
    finally:
        server.terminate()
        try: server.wait(15)
        except subprocess.TimeoutExpired: server.kill()
        log.close()


if __name__ == '__main__':
    main()
