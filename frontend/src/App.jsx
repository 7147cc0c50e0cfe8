import { useEffect, useRef, useState } from 'react'
import { ApiError, fetchImage, postForm, postJSON, runJob } from './api.js'
import { Markdown } from './markdown.jsx'

const MODES = [
  { id: 'redesign', label: 'Redesign my garment', needs: ['garment'], hint: 'Upload a garment: the model suggests redesigns and ranks them.' },
  { id: 'redesign_prompt', label: 'Redesign with a prompt', needs: ['garment', 'prompt'], hint: 'Upload a garment and say what it should become.' },
  { id: 'generate', label: 'New design from text', needs: ['prompt'], hint: 'Describe a garment; no image needed.' },
  { id: 'style_transfer', label: 'Style transfer', needs: ['garment', 'reference'], hint: "Keep the garment's shape, take the reference's colours and pattern." },
]
const NEED_TEXT = { garment: 'upload a garment image', reference: 'upload a reference image', prompt: 'write a prompt' }
const EXAMPLES = ['make it sleeveless', 'make it pastel pink', 'add pockets', 'make it shorter']

const fmt = v => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v))
const asError = e => (e instanceof ApiError ? e : new ApiError(e?.message || String(e)))
const editText = e => [String(e.kind || 'edit').replace(/_/g, ' '), e.modifier, e.color, e.detail, e.style, e.text, e.region && `(${e.region})`]
  .filter(Boolean).join(' ')

function useObjectUrl(file) {
  const [url, setUrl] = useState(null)
  useEffect(() => {
    if (!file) { setUrl(null); return }
    const u = URL.createObjectURL(file)
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [file])
  return url
}

function FilePicker({ label, name, file, onChange }) {
  const url = useObjectUrl(file)
  return (
    <label className="file">
      <span>{label}</span>
      <input type="file" accept="image/*" name={name} data-testid={`${name}-input`} onChange={e => onChange(e.target.files[0] || null)} />
      {url && <img className="pixel thumb" src={url} alt={`${label} preview`} />}
    </label>
  )
}

function Progress({ job, note }) {
  const pct = Math.round(100 * Math.max(0, Math.min(1, Number(job.progress) || 0)))
  return (
    <section className="progress" data-testid="progress" aria-live="polite">
      <div className="bar"><div style={{ width: `${pct}%` }} /></div>
      <span>{job.what}: {job.status}{job.message && job.message !== job.status ? ` — ${job.message}` : ''} ({pct} %)</span>
      {note && <p className="warn" data-testid="stalled">{note}</p>}
    </section>
  )
}

function ErrorBanner({ error, onClose }) {
  return (
    <div className="error" role="alert" data-testid="error">
      <strong>Something went wrong.</strong> {error.field && <code>{error.field}</code>} {error.problem}
      <button type="button" className="link" onClick={onClose} aria-label="dismiss">×</button>
    </div>
  )
}

function ResultCard({ image, selected, onSelect, disabled }) {
  return (
    <figure className={`card${selected ? ' selected' : ''}`} data-testid="result">
      <img className="pixel result" src={image.url} alt={`design ranked ${image.rank}`} />
      <figcaption>
        <div className="rank">#{image.rank} <span className="total">total {image.total == null ? '–' : fmt(image.total)}</span></div>
        <table className="scores" data-testid="scores"><tbody>
          {Object.entries(image.scores || {}).map(([k, v]) => <tr key={k}><th>{k}</th><td>{fmt(v)}</td></tr>)}
          <tr><th>seed</th><td>{image.seed}</td></tr>
        </tbody></table>
        <button type="button" onClick={onSelect} disabled={disabled || selected}>{selected ? 'Refining this' : 'Refine this'}</button>
      </figcaption>
    </figure>
  )
}

// A history step's picture, when the server gives it a URL (`url`, or an `image` that is one).
const stepUrl = s => s.url || (typeof s.image === 'string' && s.image.startsWith('/') ? s.image : null)

function History({ steps }) {
  return (
    <ol className="history" data-testid="history" start={0}>
      {steps.map(s => (
        <li key={s.step} data-testid="history-step">
          {stepUrl(s) && <img className="pixel tiny" src={stepUrl(s)} alt="" />}
          <span>{s.step === 0 ? 'original' : s.request || 'edit'}</span>
          {(s.edits || []).length > 0 && <small> — {s.edits.map(editText).join('; ')}</small>}
        </li>
      ))}
    </ol>
  )
}

export default function App() {
  const [mode, setMode] = useState('redesign')
  const [garment, setGarment] = useState(null)
  const [reference, setReference] = useState(null)
  const [prompt, setPrompt] = useState('')
  const [opts, setOpts] = useState({ n: 8, top: 4, seed: 0, steps: '', backend: '' })
  const [busy, setBusy] = useState(false)
  const [job, setJob] = useState(null)
  const [error, setError] = useState(null)
  const [gen, setGen] = useState(null) // the finished generation job
  const [selected, setSelected] = useState(0) // index of the result being refined
  const [session, setSession] = useState(null) // the latest finished refine job
  const [chat, setChat] = useState([])
  const [request, setRequest] = useState('')
  const [tailoring, setTailoring] = useState(null)
  const [health, setHealth] = useState(null)
  const [stalled, setStalled] = useState(null) // why a job has been queued for a while
  const logRef = useRef(null)

  useEffect(() => {
    fetch('/health')
      .then(async r => setHealth(r.ok ? { ok: true, ...(await r.json().catch(() => ({}))) } : { ok: false, text: `answered ${r.status}` }))
      .catch(() => setHealth({ ok: false, text: 'cannot be reached: is it running?' }))
  }, [])
  // A job still queued after 3 s: ask /health why (a dead worker, or other jobs first).
  useEffect(() => {
    setStalled(null)
    if (!busy || job?.status !== 'queued') return
    const t = setTimeout(() => fetch('/health').then(r => r.json()).then(h => setStalled(
      h.worker === false ? "the server's worker is not running, so the job waits in the queue: restart the server"
        : h.queue > 1 ? `${h.queue - 1} other job(s) are ahead of this one` : null))
      .catch(() => setStalled('the server cannot be reached')), 3000)
    return () => clearTimeout(t)
  }, [busy, job?.status])
  useEffect(() => { const el = logRef.current; if (el) el.scrollTop = el.scrollHeight }, [chat])

  const modeInfo = MODES.find(m => m.id === mode)
  const have = { garment, reference, prompt: prompt.trim() }
  const missing = modeInfo.needs.filter(k => !have[k])
  const images = gen?.result?.images || []
  const chosen = images[selected]
  const steps = session?.result?.history || []
  const latestJobId = session?.id ?? gen?.id
  const hb = health?.backends
  const backends = Array.isArray(hb) ? hb.map(String) : hb && typeof hb === 'object' ? Object.keys(hb) : []

  // Run one job with its progress shown; resolves [finished job, null] or [null, ApiError] (also shown in the banner).
  async function track(what, start) {
    setError(null)
    setBusy(true)
    setJob({ what, status: 'queued', progress: 0, message: '' })
    try {
      return [await runJob(start, j => setJob({ ...j, what })), null]
    } catch (e) {
      const err = asError(e)
      setError(err)
      return [null, err]
    } finally {
      setBusy(false)
    }
  }

  function options() {
    const n = Number(opts.n), top = Number(opts.top), seed = Number(opts.seed)
    if (!Number.isInteger(n) || n < 1) throw new ApiError('the number of candidates must be a whole number ≥ 1', 'n')
    if (!Number.isInteger(top) || top < 1 || top > n) throw new ApiError(`keep between 1 and ${n} results`, 'top')
    if (!Number.isInteger(seed) || seed < 0) throw new ApiError('the seed must be a whole number ≥ 0', 'seed')
    const steps = opts.steps === '' ? null : Number(opts.steps)
    if (steps !== null && (!Number.isInteger(steps) || steps < 1)) throw new ApiError('steps must be a whole number ≥ 1, or empty for the default', 'steps')
    return { n, top, seed, steps, backend: opts.backend.trim() || null }
  }

  async function submit(ev) {
    ev.preventDefault()
    let o
    try {
      if (missing.length) throw new ApiError(`${modeInfo.label.toLowerCase()}: ${missing.map(k => NEED_TEXT[k]).join(' and ')} first`, missing[0])
      o = options()
    } catch (e) { setError(asError(e)); return }
    const p = prompt.trim()
    const start = {
      generate: () => postJSON('/generate', { prompt: p, ...o }),
      redesign: () => postForm('/redesign', { image: garment, ...o }),
      redesign_prompt: () => postForm('/redesign_prompt', { image: garment, prompt: p, ...o }),
      style_transfer: () => postForm('/style_transfer', { garment, reference, prompt: p || null, ...o }),
    }[mode]
    const [done] = await track(modeInfo.label, start)
    if (!done) return
    setGen(done)
    setSelected(0)
    setSession(null)
    setChat([])
    setTailoring(null)
  }

  function choose(i) {
    setSelected(i)
    setSession(null)
    setChat([])
    setTailoring(null)
  }

  async function refine(text) {
    text = text.trim()
    if (!text) { setError(new ApiError('say what to change, e.g. "make it sleeveless"', 'request')); return }
    const start = session
      ? () => postForm('/refine', { session: session.id, request: text })
      : async () => postForm('/refine', { image: await fetchImage(chosen.url, `rank${chosen.rank}.png`), request: text })
    setChat(c => [...c, { who: 'you', text }])
    const [done, err] = await track('Refining', start)
    if (!done) { setChat(c => [...c, { who: 'model', failed: true, text: `could not do that: ${err.problem.split(/\.\s/)[0]}` }]); return }
    const last = (done.result.history || []).slice(-1)[0]
    setSession(done)
    setRequest('')
    setTailoring(null)
    setChat(c => [...c, { who: 'model', image: done.result.images?.[0], text: (last?.edits || done.result.edits || []).map(editText).join('; ') || done.result.prompt }])
  }

  async function undo() {
    setChat(c => [...c, { who: 'you', text: '↶ undo' }])
    const [done] = await track('Undoing', () => postForm('/refine', { session: session.id, undo: 'true' }))
    if (!done) return
    setSession(done)
    setTailoring(null)
    setChat(c => [...c, { who: 'model', image: done.result.images?.[0], text: `back to step ${(done.result.history || []).length - 1}` }])
  }

  async function tailor() {
    const [done] = await track('Tailoring instructions', () => postJSON('/tailor', { job_id: latestJobId }))
    if (!done) return
    const md = done.result?.tailoring?.markdown
    if (!md) { setError(new ApiError('the server finished but sent no instructions', 'tailoring')); return }
    setTailoring({ jobId: latestJobId, markdown: md })
  }

  const current = session?.result?.images?.[0] || chosen
  return (
    <div className="app">
      <header>
        <h1>fashion-reuse</h1>
        <p>Upcycle a garment: redesign it, refine it in plain words, get the tailoring steps.</p>
        {health && !health.ok && <p className="warn" data-testid="health">The server {health.text}</p>}
      </header>

      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {busy && job && <Progress job={job} note={stalled} />}

      <main>
        <form className="panel request" onSubmit={submit} data-testid="request-form">
          <h2>1 · Request</h2>
          <fieldset className="modes">
            <legend>Mode</legend>
            {MODES.map(m => (
              <label key={m.id}>
                <input type="radio" name="mode" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} /> {m.label}
              </label>
            ))}
            <p className="hint">{modeInfo.hint}</p>
          </fieldset>
          {modeInfo.needs.includes('garment') && <FilePicker label="Garment image" name="garment" file={garment} onChange={setGarment} />}
          {mode === 'style_transfer' && <FilePicker label="Style reference" name="reference" file={reference} onChange={setReference} />}
          {mode !== 'redesign' && (
            <label className="prompt">
              <span>Prompt{mode === 'style_transfer' ? ' (optional)' : ''}</span>
              <textarea rows={2} value={prompt} data-testid="prompt" placeholder="a pastel pink sleeveless dress with white polka dots"
                onChange={e => setPrompt(e.target.value)} />
            </label>
          )}
          <details>
            <summary>Settings</summary>
            <div className="opts">
              {[['n', 'candidates'], ['top', 'keep'], ['seed', 'seed'], ['steps', 'steps'], ['backend', 'backend']].map(([k, label]) => (
                <label key={k}><span>{label}</span>
                  <input value={opts[k]} name={k} inputMode={k === 'backend' ? 'text' : 'numeric'} list={k === 'backend' ? 'backends' : undefined}
                    placeholder={k === 'steps' ? 'default' : k === 'backend' ? health?.backend || 'default' : ''}
                    onChange={e => setOpts(o => ({ ...o, [k]: e.target.value }))} />
                </label>
              ))}
            </div>
            <datalist id="backends">{backends.map(b => <option key={b} value={b} />)}</datalist>
          </details>
          <button type="submit" className="primary" disabled={busy} data-testid="generate">Generate</button>
        </form>

        <section className="panel results">
          <h2>2 · Results</h2>
          {!gen && <p className="hint">The ranked designs appear here.</p>}
          {gen && (
            <>
              <p className="meta">{gen.result.mode}{gen.result.prompt ? ` · “${gen.result.prompt}”` : ''} · seed {gen.result.seed} · {gen.result.backend} backend</p>
              <div className="grid">
                {images.map((im, i) => <ResultCard key={im.url} image={im} selected={i === selected} disabled={busy} onSelect={() => choose(i)} />)}
              </div>
              {(gen.result.suggestions || []).length > 0 && (
                <details className="suggestions">
                  <summary>Suggested redesigns</summary>
                  <ul>{gen.result.suggestions.map((s, i) => (
                    <li key={i}>{s.idea ? `${s.idea}: ` : ''}<em>{s.prompt}</em>{' '}
                      <button type="button" className="link" onClick={() => { setMode('redesign_prompt'); setPrompt(s.prompt) }}>use</button>
                    </li>))}
                  </ul>
                </details>
              )}
            </>
          )}
        </section>

        {chosen && (
          <section className="panel refine" data-testid="refine-panel">
            <h2>3 · Refine</h2>
            <div className="refine-body">
              <img className="pixel big" src={current.url} alt="the design being refined" data-testid="refine-current" />
              <div className="chat">
                <ul className="log" data-testid="chat" ref={logRef}>
                  {chat.length === 0 && <li className="hint">Ask for a change, e.g. “make it sleeveless”.</li>}
                  {chat.map((m, i) => (
                    <li key={i} className={`${m.who}${m.failed ? ' failed' : ''}`}>
                      {m.image && <img className="pixel tiny" src={m.image.url} alt="" />}<span>{m.text}</span>
                    </li>
                  ))}
                </ul>
                <form className="ask" onSubmit={e => { e.preventDefault(); refine(request) }}>
                  <input value={request} onChange={e => setRequest(e.target.value)} placeholder="make it sleeveless and pastel pink" data-testid="refine-input" aria-label="follow-up request" />
                  <button type="submit" disabled={busy} data-testid="refine-send">Send</button>
                  <button type="button" disabled={busy || steps.length < 2} onClick={undo} data-testid="undo">Undo</button>
                </form>
                <p className="examples">{EXAMPLES.map(x => <button key={x} type="button" className="chip" onClick={() => setRequest(x)}>{x}</button>)}</p>
              </div>
            </div>
            {steps.length > 0 && (<><h3>Session history</h3><History steps={steps} /></>)}
          </section>
        )}

        {gen && (
          <section className="panel tailor" data-testid="tailor-panel">
            <h2>4 · Tailoring instructions</h2>
            <button type="button" onClick={tailor} disabled={busy || latestJobId == null} data-testid="tailor">
              {tailoring ? 'Update instructions' : 'Show tailoring instructions'}
            </button>
            <span className="hint"> for {session ? 'the refined garment' : 'the best-ranked design'}</span>
            {tailoring && <div data-testid="tailoring"><Markdown text={tailoring.markdown} /></div>}
          </section>
        )}
      </main>
      <footer>fashion-reuse · results are suggestions: check fit and fabric before cutting.</footer>
    </div>
  )
}
