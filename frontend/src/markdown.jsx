// A tiny, safe Markdown renderer for the tailoring plan: headings, paragraphs, bullet and numbered
// lists (with indented continuation lines), **bold**, *italic* and `code`. It builds React
// elements, so the text is always escaped: nothing is ever set as HTML.
import { Fragment } from 'react'

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`)/g

function inline(text, key) {
  return text.split(INLINE).map((part, i) => {
    const k = `${key}-${i}`
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={k}>{part.slice(2, -2)}</strong>
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code key={k}>{part.slice(1, -1)}</code>
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em key={k}>{part.slice(1, -1)}</em>
    return <Fragment key={k}>{part}</Fragment>
  })
}

// Lines joined inside one block: a line ending in two spaces (or a continuation) breaks the line.
function lines(ls, key) {
  return ls.map((l, i) => (
    <Fragment key={`${key}-l${i}`}>{i > 0 && <br />}{inline(l.trim(), `${key}-l${i}`)}</Fragment>
  ))
}

export function parseMarkdown(src) {
  const blocks = []
  let cur = null
  const close = () => { if (cur) blocks.push(cur); cur = null }
  for (const raw of String(src || '').replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '')
    let m
    if (!line.trim()) { close(); continue }
    if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) { close(); blocks.push({ type: 'h', level: m[1].length, text: m[2] }); continue }
    const ul = /^\s{0,3}[-*+]\s+(.*)$/.exec(line), ol = /^\s{0,3}\d+[.)]\s+(.*)$/.exec(line)
    if (ul || ol) {
      const type = ul ? 'ul' : 'ol'
      if (!cur || cur.type !== type) { close(); cur = { type, items: [] } }
      cur.items.push([(ul || ol)[1]])
      continue
    }
    if (cur && (cur.type === 'ul' || cur.type === 'ol') && /^\s+/.test(raw)) { cur.items[cur.items.length - 1].push(line.trim()); continue }
    if (!cur || cur.type !== 'p') { close(); cur = { type: 'p', lines: [] } }
    cur.lines.push(line.trim())
  }
  close()
  return blocks
}

export function Markdown({ text }) {
  return (
    <div className="markdown">
      {parseMarkdown(text).map((b, i) => {
        const k = `b${i}`
        if (b.type === 'h') { const H = `h${Math.min(b.level + 2, 6)}`; return <H key={k}>{inline(b.text, k)}</H> }
        if (b.type === 'p') return <p key={k}>{lines(b.lines, k)}</p>
        const L = b.type
        return <L key={k}>{b.items.map((it, j) => <li key={`${k}-${j}`}>{lines(it, `${k}-${j}`)}</li>)}</L>
      })}
    </div>
  )
}
