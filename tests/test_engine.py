"The training engine's resume, with a real kill -9 of a training process."
import os, signal, subprocess, sys, textwrap, time
from pathlib import Path
from conftest import ROOT

SCRIPT = textwrap.dedent('''
    import sys, time, torch
    from safetensors.torch import save_file
    from fashion_reuse.train.engine import TrainConfig, Trainer
    out, slow = sys.argv[1], float(sys.argv[2])
    g = torch.Generator().manual_seed(0)
    x = torch.randn(96, 4, generator=g); y = (x @ torch.tensor([1., -2., 3., .5]))[:, None]
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 32), torch.nn.Dropout(0.2), torch.nn.Linear(32, 1))
    def loss_fn(m, b):
        xb, yb = b
        return torch.nn.functional.mse_loss(m(xb + 0.01 * torch.randn_like(xb)), yb)  # noise draws from the global RNG
    cfg = TrainConfig(output_dir=out + '/run', max_steps=60, batch_size=8, learning_rate=5e-3, lr_scheduler='cosine',
                      gradient_accumulation_steps=2, checkpointing_steps=10, report_to='none', ema_decay=0.95, seed=1)
    tr = Trainer(model, cfg, torch.utils.data.TensorDataset(x, y), loss_fn, progress=False,
                 on_step=lambda t, s: time.sleep(slow))
    tr.fit()
    save_file({k: v.contiguous() for k, v in tr.model.state_dict().items()}, out + '/final.safetensors')
''')

def _run(out, slow=0.0, **kw):
    return subprocess.Popen([sys.executable, '-c', SCRIPT, str(out), str(slow)], cwd=ROOT, **kw)

def test_kill9_and_resume_gives_the_same_weights(tmp_path):
    from safetensors.torch import load_file
    a, b = tmp_path/'straight', tmp_path/'killed'
    a.mkdir(); b.mkdir()
    assert _run(a).wait() == 0
    p = _run(b, slow=0.05)
    t0 = time.time()
    while not (b/'run'/'checkpoints'/'checkpoint-30').exists() and time.time() - t0 < 120: time.sleep(0.02)
    time.sleep(0.12)  # a couple of steps past the checkpoint: that work is lost and redone
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (b/'final.safetensors').exists(), 'the run finished before it could be killed'
    assert _run(b).wait() == 0
    wa, wb = load_file(str(a/'final.safetensors')), load_file(str(b/'final.safetensors'))
    assert wa.keys() == wb.keys()
    for k in wa: assert (wa[k] == wb[k]).all(), k
