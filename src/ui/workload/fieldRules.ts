/** The workload form's number fields: the text as typed, checked, never silently clamped. */

export interface FieldCheck {
  value: number | null
  error: string | null
}

/** A whole number in [min, max], or the sentence saying why not. */
export function checkWhole(text: string, label: string, min: number, max: number): FieldCheck {
  const t = text.trim()
  const bad = `${label} must be a whole number from ${min} to ${max}`
  if (t === '') return { value: null, error: `${bad} (it is empty)` }
  if (!/^-?[0-9]+$/.test(t)) return { value: null, error: `${bad}, got "${t.slice(0, 20)}"` }
  const n = Number(t)
  if (n < min || n > max) return { value: null, error: `${bad}, got ${t}` }
  return { value: n, error: null }
}
