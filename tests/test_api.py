"""The HTTP API (`fashion_reuse.api`) end to end on a tiny random model: every endpoint, every kind of bad input
(a 4xx naming the field, never a 5xx), a failing job that leaves the worker alive, and a real server
(`fashion-reuse serve` in a subprocess) killed with SIGKILL mid-job and restarted on the same database."""
import io, json, os, signal, socket, subprocess, sys, time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

pytest.importorskip('fastapi')
pytest.importorskip('multipart')
httpx = pytest.importorskip('httpx')
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
SERVE = ("import argparse, sys; from fashion_reuse.api.commands import register; p = argparse.ArgumentParser(); "
         "register(p.add_subparsers()); a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))")


# ---------------------------------------------------------------- fixtures and helpers
@pytest.fixture(scope='module')
def work(tmp_path_factory):
    "A folder holding a tiny random Stable Diffusion pipeline (32 px) at `sd/`."
    import torch
    from fashion_reuse.models import mini_sd as msd
    d = tmp_path_factory.mktemp('api')
    torch.manual_seed(0)
    te, tok = msd.tiny_text_encoder()
    msd.save_pipeline(msd.assemble_pipeline(msd.build_vae(msd.TINY), msd.build_unet(msd.TINY, te.config.hidden_size), te, tok, msd.TINY), d/'sd')
    return d

def tiny_overrides(work):
    return ['steps=2', 'device=cpu', f"backends.mini.base_model={work/'sd'}", 'backends.mini.resolution=32',
            # the tiny model alone: none of the shipped mini adapters fit it
            'backends.mini.controlnet=null', 'backends.mini.ip_adapter=null', 'backends.mini.inpaint_model=null', 'backends.mini.lora=null']

@pytest.fixture(scope='module')
def client(work):
    from fashion_reuse.inference.pipeline import load_inference_config
    from fashion_reuse.api.app import create_app
    cfg = load_inference_config(overrides=tiny_overrides(work))
    cfg.backends['broken'] = dict(cfg.backends['mini'], base_model=str(work/'no-such-model'))
    with TestClient(create_app(cfg, out=work/'outputs', db=work/'jobs.sqlite')) as c: yield c

def wait(c, jid, timeout=60):
    t0 = time.time()
    while True:
        j = c.get(f'/jobs/{jid}').json()
        if j['status'] in ('done', 'failed') or time.time() - t0 > timeout: return j
        time.sleep(0.1)

def done(c, r):
    "Wait for the job a 202 answer `r` created; assert it finished."
    assert r.status_code == 202, r.text
    j = wait(c, r.json()['job_id'])
    assert j['status'] == 'done', j
    from fashion_reuse.api.schemas import Job
    Job.model_validate(j)
    return j

def png_bytes(im, fmt='PNG', **kw):
    b = io.BytesIO(); im.save(b, fmt, **kw); return b.getvalue()

def garment(color=(200, 30, 40), size=64):
    "A t-shirt shape on white, the kind of picture the mini models know."
    im = Image.new('RGB', (size, size), 'white')
    d = ImageDraw.Draw(im)
    s = size / 64
    d.polygon([(p[0] * s, p[1] * s) for p in [(20, 10), (44, 10), (58, 22), (50, 28), (46, 24), (46, 56), (18, 56), (18, 24), (14, 28), (6, 22)]], fill=color)
    return im

def err(r):
    "(status, field) of an error answer, checking its shape."
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {'error'} and set(body['error']) == {'field', 'problem'} and body['error']['problem'], body
    return r.status_code, body['error']['field']

IMG = png_bytes(garment())


# ---------------------------------------------------------------- the endpoints
def test_health(client):
    h = client.get('/health').json()
    assert (h['status'], h['backend'], h['worker']) == ('ok', 'mini', True) and isinstance(h['queue'], int)
    assert {'mini', 'broken'} <= set(h['backends'])

def test_generate_job_result_and_image(client):
    r = client.post('/generate', json=dict(prompt='a red striped t-shirt', n=3, top=2, seed=7))
    acc = r.json()
    assert acc['status'] == 'queued' and acc['status_url'] == f"/jobs/{acc['job_id']}" and acc['events_url'] == f"/jobs/{acc['job_id']}/events"
    j = done(client, r)
    res = j['result']
    assert (j['kind'], j['progress'], j['error'], res['mode'], res['prompt'], res['seed'], res['backend']) == \
           ('generate', 1, None, 'generate', 'a red striped t-shirt', 7, 'mini')
    assert [i['rank'] for i in res['images']] == [1, 2] and all(i['url'].startswith('/images/') for i in res['images'])
    assert all('/' not in i['url'][len('/images/'):] and 'png' not in i['url'] for i in res['images'])  # opaque ids, no paths
    assert j['created'] <= j['started'] <= j['finished']
    im = client.get(res['images'][0]['url'])
    assert im.headers['content-type'] == 'image/png' and Image.open(io.BytesIO(im.content)).size == (32, 32)

def test_events_stream_until_done(client):
    acc = client.post('/generate', json=dict(prompt='a navy dress', n=2, top=1)).json()
    events = []
    with client.stream('GET', acc['events_url']) as s:
        assert s.headers['content-type'].startswith('text/event-stream')
        for line in s.iter_lines():
            if line.startswith('data: '): events.append(json.loads(line[6:]))
    assert events[-1]['status'] == 'done' and events[-1]['result']['images']
    assert [e['progress'] for e in events] == sorted(e['progress'] for e in events)
    assert events[-1] == client.get(acc['status_url']).json()

def test_image_modes_refine_session_and_tailor(client):
    f = lambda data=IMG, name='g.png': (name, data, 'image/png')
    rd = done(client, client.post('/redesign', files=dict(image=f()), data=dict(n=2, top=1, seed=1)))['result']
    assert rd['suggestions'] and len(rd['images']) == 1 and rd['input_url'].startswith('/images/')
    rp = done(client, client.post('/redesign_prompt', files=dict(image=f()), data=dict(prompt='a floral pink t-shirt', n=2, top=1)))['result']
    assert rp['prompt'] == 'a floral pink t-shirt'
    st = done(client, client.post('/style_transfer', files=dict(garment=f(), reference=f(png_bytes(garment((20, 40, 200))))), data=dict(n=2, top=2)))
    assert st['result']['mode'] == 'style-transfer' and st['result']['reference_url'].startswith('/images/')
    # refine: a new session, a second step, undo, then a new session from a generated design
    r1 = done(client, client.post('/refine', files=dict(image=f()), data=dict(request='make it pastel pink', seed=1)))
    assert [e['kind'] for e in r1['result']['edits']] == ['color'] and len(r1['result']['history']) == 2
    r2 = done(client, client.post('/refine', data=dict(session=r1['id'], request='make it sleeveless')))
    assert len(r2['result']['history']) == 3
    r3 = done(client, client.post('/refine', data=dict(session=r2['id'], undo='true')))
    assert len(r3['result']['history']) == 2
    assert client.get(r3['result']['images'][0]['url']).content == client.get(r1['result']['images'][0]['url']).content
    assert err(client.get(r2['result']['images'][0]['url'])) == (404, 'image_id')  # the undone step's image is gone
    g = done(client, client.post('/generate', json=dict(prompt='a green shirt', n=2, top=1)))
    r4 = done(client, client.post('/refine', data=dict(session=g['id'], request='make it navy')))
    assert len(r4['result']['history']) == 2
    t = done(client, client.post('/tailor', json=dict(job_id=r1['id'])))
    assert t['kind'] == 'tailor' and t['result']['tailoring']['markdown'].strip() and isinstance(t['result']['tailoring']['json'], dict)

def test_failing_job_is_failed_and_the_worker_goes_on(client):
    bad = wait(client, client.post('/generate', json=dict(prompt='a red dress', n=1, top=1, backend='broken')).json()['job_id'])
    assert bad['status'] == 'failed' and bad['result'] is None
    assert bad['error']['field'] == 'backend' and 'not found' in bad['error']['problem'], bad['error']
    done(client, client.post('/generate', json=dict(prompt='a red dress', n=1, top=1)))
    assert client.get('/health').json()['worker'] is True


# ---------------------------------------------------------------- bad input: a 4xx naming the field, never a 5xx
def _jpeg(im, **kw): return png_bytes(im, 'JPEG', **kw)
_noise = _jpeg(Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)))
_gif = io.BytesIO(); Image.new('RGB', (8, 8), 'red').save(_gif, 'GIF', save_all=True, append_images=[Image.new('RGB', (8, 8), 'blue')], duration=100)

BAD_IMAGES = {  # name: (bytes, declared content type, expected status, words in the problem)
    'not an image': (b'this is text, not a picture', 'image/png', 422, 'not an image'),
    'text/plain file': (b'hello', 'text/plain', 415, 'expected an image'),
    'truncated JPEG': (_noise[:len(_noise) // 2], 'image/jpeg', 422, 'truncated'),
    '0 bytes': (b'', 'image/png', 422, 'empty'),
    'decompression bomb': (png_bytes(Image.new('1', (6000, 6000))), 'image/png', 413, 'pixels'),
    '20000x20000 PNG': (png_bytes(Image.new('1', (20000, 20000))), 'image/png', 413, 'pixels'),
    'animated GIF': (_gif.getvalue(), 'image/gif', 422, 'animated'),
    'file over 10 MB': (b'\x89PNG' + b'0' * (10 * 2**20), 'image/png', 413, 'bytes'),
}

@pytest.mark.parametrize('name', list(BAD_IMAGES))
def test_bad_images_are_refused_before_a_job_exists(client, name):
    data, ct, status, words = BAD_IMAGES[name]
    before = client.get('/health').json()['queue']
    r = client.post('/redesign', files=dict(image=('upload', data, ct)), data=dict(n=2, top=1))
    assert err(r) == (status, 'image') and words in r.json()['error']['problem'], r.text
    r = client.post('/style_transfer', files=dict(garment=('g.png', IMG, 'image/png'), reference=('upload', data, ct)))
    assert err(r) == (status, 'reference')
    assert client.get('/health').json()['queue'] <= before

@pytest.mark.parametrize('name,data', [('CMYK JPEG', _jpeg(garment().convert('CMYK'))),
                                       ('16-bit PNG', png_bytes(Image.fromarray((np.asarray(garment().convert('L')).astype(np.uint16) * 257))))])
def test_cmyk_and_16bit_images_are_accepted(client, name, data):
    done(client, client.post('/redesign', files=dict(image=('x', data, 'image/jpeg' if 'JPEG' in name else 'image/png')), data=dict(n=1, top=1)))

@pytest.mark.parametrize('kw,expected', [
    (dict(json={}), (422, 'prompt')),
    (dict(json=dict(prompt='')), (422, 'prompt')),
    (dict(json=dict(prompt='   ')), (422, 'prompt')),
    (dict(json=dict(prompt='x' * 301)), (422, 'prompt')),
    (dict(json=dict(prompt='a dress', n=0)), (422, 'n')),
    (dict(json=dict(prompt='a dress', n=65)), (422, 'n')),
    (dict(json=dict(prompt='a dress', n='8')), (422, 'n')),
    (dict(json=dict(prompt='a dress', top=0)), (422, 'top')),
    (dict(json=dict(prompt='a dress', n=2, top=3)), (422, 'top')),
    (dict(json=dict(prompt='a dress', steps=1000)), (422, 'steps')),
    (dict(json=dict(prompt='a dress', seed=-1)), (422, 'seed')),
    (dict(json=dict(prompt='a dress', backend='dall-e')), (422, 'backend')),
    (dict(json=dict(prompt='a dress', colour='red')), (422, 'colour')),
    (dict(json=['a dress']), (422, 'body')),
    (dict(content=b'{"prompt": ', headers={'content-type': 'application/json'}), (422, 'body')),
    (dict(content=b'prompt=a dress', headers={'content-type': 'text/plain'}), (415, 'content-type')),
    (dict(data=dict(prompt='a dress')), (415, 'content-type')),
    (dict(content=b'x' * (21 * 2**20), headers={'content-type': 'application/json'}), (413, 'body')),
])
def test_generate_refuses(client, kw, expected):
    assert err(client.post('/generate', **kw)) == expected

def test_form_endpoints_refuse(client):
    img = lambda: ('g.png', IMG, 'image/png')
    assert err(client.post('/redesign', data=dict(n=2))) == (422, 'image')
    assert err(client.post('/redesign', json=dict(n=2))) == (415, 'content-type')
    assert err(client.post('/redesign', files=dict(image=img()), data=dict(n='many'))) == (422, 'n')
    assert err(client.post('/redesign', files=dict(image=img()), data=dict(n=2, top=4))) == (422, 'top')
    assert err(client.post('/redesign', files=dict(image=img()), data=dict(backend='nope'))) == (422, 'backend')
    assert err(client.post('/redesign', data=dict(image=str(ROOT/'README.md'), n=2))) == (422, 'image')  # a path is not a file
    assert err(client.post('/redesign_prompt', files=dict(image=img()))) == (422, 'prompt')
    assert err(client.post('/redesign_prompt', files=dict(image=img()), data=dict(prompt='p' * 301))) == (422, 'prompt')
    assert err(client.post('/style_transfer', files=dict(garment=img()))) == (422, 'reference')
    assert err(client.post('/refine', files=dict(image=img()))) == (422, 'request')
    assert err(client.post('/refine', data=dict(request='make it red'))) == (422, 'image')
    assert err(client.post('/refine', files=dict(image=img()), data=dict(request='do a barrel roll'))) == (422, 'request')
    assert err(client.post('/refine', files=dict(image=img()), data=dict(request='make it red', undo='true'))) == (422, 'undo')
    assert err(client.post('/refine', data=dict(session='0123456789abcdef', request='make it red'))) == (404, 'session')
    assert err(client.post('/tailor', json=dict(job_id='0123456789abcdef'))) == (404, 'job_id')
    assert err(client.post('/tailor', json={})) == (422, 'job_id')

def test_unknown_ids_and_paths(client):
    assert err(client.get('/jobs/0123456789abcdef')) == (404, 'job_id')
    assert err(client.get('/jobs/0123456789abcdef/events')) == (404, 'job_id')
    assert err(client.get('/jobs/..%2F..%2Fetc%2Fpasswd'))[0] == 404
    assert err(client.get('/images/abc')) == (404, 'image_id')
    assert err(client.get('/images/..%2Fjobs.sqlite'))[0] == 404
    assert err(client.get('/images/jobs.sqlite')) == (404, 'image_id')
    assert err(client.get('/no/such/endpoint'))[0] == 404
    assert err(client.delete('/jobs/abc')) == (405, 'method')

def test_refine_of_a_failed_job_is_409(client):
    bad = wait(client, client.post('/generate', json=dict(prompt='a red dress', n=1, top=1, backend='broken')).json()['job_id'])
    assert err(client.post('/refine', data=dict(session=bad['id'], request='make it blue'))) == (409, 'session')
    assert err(client.post('/tailor', json=dict(job_id=bad['id']))) == (409, 'job_id')


# ---------------------------------------------------------------- a real server, killed mid-job and restarted
def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _start(work, port, log):
    cmd = [sys.executable, '-c', SERVE, 'serve', '--port', str(port), '--out', str(work/'srv-out'), '--db', str(work/'srv.sqlite'),
           '--log-level', 'warning', '--set', *tiny_overrides(work)]
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1'}
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    t0 = time.time()
    while time.time() - t0 < 120:
        if p.poll() is not None: raise AssertionError(f"the server exited with {p.returncode}: {Path(log.name).read_text()[-2000:]}")
        try:
            if httpx.get(f'http://127.0.0.1:{port}/health', timeout=2).status_code == 200: return p
        except httpx.TransportError: pass
        time.sleep(0.3)
    p.kill(); raise AssertionError('the server did not answer within 120 s')

def test_server_killed_mid_job_resumes_it_after_restart(work, tmp_path):
    port = _free_port()
    url = f'http://127.0.0.1:{port}'
    log = open(tmp_path/'server.log', 'w')
    p = _start(work, port, log)
    try:
        quick = httpx.post(f'{url}/generate', json=dict(prompt='a red shirt', n=1, top=1)).json()['job_id']
        slow = httpx.post(f'{url}/generate', json=dict(prompt='a blue dress', n=16, top=1, steps=150)).json()['job_id']
        after = httpx.post(f'{url}/generate', json=dict(prompt='a black coat', n=1, top=1)).json()['job_id']
        t0 = time.time()
        while (j := httpx.get(f'{url}/jobs/{slow}').json())['progress'] < 0.15 and time.time() - t0 < 90: time.sleep(0.1)
        assert j['status'] == 'running', j
        q = httpx.get(f'{url}/jobs/{quick}').json()
        assert q['status'] == 'done'
        img = httpx.get(f"{url}{q['result']['images'][0]['url']}").content
        p.send_signal(signal.SIGKILL); p.wait(10)
        p = _start(work, port, log)  # same database, same outputs
        q2 = httpx.get(f'{url}/jobs/{quick}').json()
        assert q2['result'] == q['result'] and httpx.get(f"{url}{q2['result']['images'][0]['url']}").content == img  # results survive
        t0 = time.time()
        while httpx.get(f'{url}/jobs/{after}').json()['status'] in ('queued', 'running') and time.time() - t0 < 90: time.sleep(0.2)
        s, a = httpx.get(f'{url}/jobs/{slow}').json(), httpx.get(f'{url}/jobs/{after}').json()
        assert (s['status'], s['attempts'], a['status']) == ('done', 2, 'done'), (s, a)
        assert s['finished'] <= a['started']  # still in submission order
        assert httpx.get(f'{url}/health').json()['queue'] == 0
    finally:
        p.send_signal(signal.SIGTERM)
        try: p.wait(15)
        except subprocess.TimeoutExpired: p.kill(); p.wait()
        log.close()
