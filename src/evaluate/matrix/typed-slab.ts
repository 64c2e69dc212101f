// Typed arrays for sweeps, carved out of shared 1 MiB buffers. A sweep makes a few arrays per
// parameter set; allocating each with its own ArrayBuffer costs an external allocation and GC
// bookkeeping that dominate a tight loop over a thousand items. Views of a shared buffer are
// ordinary small heap objects. A buffer stays alive while any view of it does (bounded: 1 MiB).

const SLAB_BYTES = 1 << 20;
let slab = new ArrayBuffer(SLAB_BYTES);
let offset = 0;

function carve(bytes: number): { buffer: ArrayBuffer; at: number } | null {
  if (bytes > SLAB_BYTES / 4) return null;
  if (offset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    offset = 0;
  }
  const at = offset;
  // Keep every view 8-byte aligned, as Float64Array requires.
  offset += (bytes + 7) & ~7;
  return { buffer: slab, at };
}

/** A zero-filled Float64Array of length n. */
export function float64s(n: number): Float64Array {
  const place = carve(8 * n);
  return place ? new Float64Array(place.buffer, place.at, n) : new Float64Array(n);
}

/** A zero-filled Int32Array of length n. */
export function int32s(n: number): Int32Array {
  const place = carve(4 * n);
  return place ? new Int32Array(place.buffer, place.at, n) : new Int32Array(n);
}
