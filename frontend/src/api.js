// The fashion-reuse API, as the UI uses it: POST a request, get a job, watch the job until it ends.
// Every failure becomes an ApiError with a sentence a person can act on.

export class ApiError extends Error {
  constructor(problem, field = null) {
    super(field ? `${field}: ${problem}` : problem)
    this.field = field
    this.problem = problem
  }
}

// Turn an error body ({"error": {field, problem}}, or FastAPI's {"detail": …}) into an ApiError.
function errorFrom(body, resp) {
  const e = body && body.error
  if (e && typeof e === 'object') return new ApiError(e.problem || 'the request failed', e.field || null)
  if (typeof e === 'string') return new ApiError(e)
  const d = body && body.detail
  if (Array.isArray(d) && d.length) return new ApiError(d[0].msg || 'invalid request', (d[0].loc || []).slice(-1)[0] || null)
  if (typeof d === 'string') return new ApiError(d)
  return new ApiError(`the server answered ${resp.status} ${resp.statusText || ''}`.trim())
}

async function call(path, init) {
  let resp
  try {
    resp = await fetch(path, init)
  } catch {
    throw new ApiError('cannot reach the fashion-reuse server: is it still running?')
  }
  let body = null
  try { body = await resp.json() } catch { /* not JSON */ }
  if (!resp.ok) throw errorFrom(body, resp)
  if (body === null) throw new ApiError(`${path} did not answer with JSON`)
  return body
}

export const postJSON = (path, data) =>
  call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) })

export const postForm = (path, fields) => {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || v === '') continue
    if (v instanceof Blob) form.append(k, v, v.name || `${k}.png`)
    else form.append(k, String(v))
  }
  return call(path, { method: 'POST', body: form })
}

export const getJob = id => call(`/jobs/${encodeURIComponent(id)}`)

// Fetch an image the server made (e.g. a result to refine) as a Blob with a file name.
export async function fetchImage(url, name = 'design.png') {
  let resp
  try { resp = await fetch(url) } catch { throw new ApiError('cannot reach the fashion-reuse server: is it still running?') }
  if (!resp.ok) throw new ApiError(`could not load ${url} (${resp.status})`, 'image')
  const blob = await resp.blob()
  return new File([blob], name, { type: blob.type || 'image/png' })
}

const ended = job => job.status === 'done' || job.status === 'failed'

// Follow a job until it is done or failed, calling onUpdate with each new job JSON.
// Server-sent events first; polling every `interval` ms when they fail or stay silent.
export function watchJob(id, onUpdate, { interval = 300, silence = 1500 } = {}) {
  return new Promise((resolve, reject) => {
    let over = false, es = null, timer = null, heard = false, misses = 0
    const stop = () => { over = true; if (es) es.close(); es = null; clearTimeout(timer) }
    const handle = job => {
      if (over || !job || job.id === undefined && job.status === undefined) return
      onUpdate(job)
      if (ended(job)) { stop(); resolve(job) }
    }
    const poll = async () => {
      if (over) return
      try { handle(await getJob(id)); misses = 0 }
      catch (err) { if (++misses >= 3 || err.field) { stop(); reject(err); return } }
      if (!over) timer = setTimeout(poll, interval)
    }
    const fallback = () => {
      if (es) { es.close(); es = null }
      clearTimeout(timer)
      if (!over) poll()
    }
    if (typeof EventSource === 'undefined') { poll(); return }
    es = new EventSource(`/jobs/${encodeURIComponent(id)}/events`)
    es.onmessage = ev => {
      heard = true
      let job
      try { job = JSON.parse(ev.data) } catch { fallback(); return }
      handle(job)
    }
    es.onerror = () => { if (!over) fallback() }
    timer = setTimeout(() => { if (!heard) fallback() }, silence)
  })
}

// Start a job (`start` returns the 202 answer) and follow it; resolves with the finished job,
// rejects with an ApiError when the request is refused or the job fails.
export async function runJob(start, onUpdate) {
  const accepted = await start()
  const id = accepted.job_id ?? accepted.id
  if (id === undefined) throw new ApiError('the server accepted the request but gave no job id')
  onUpdate({ id, status: accepted.status || 'queued', progress: 0, message: 'queued' })
  const job = await watchJob(id, onUpdate)
  if (job.status === 'failed') {
    const e = job.error || {}
    throw new ApiError(e.problem || job.message || 'the job failed', e.field || null)
  }
  return job
}
