/** HTML5 drag and drop of an order: one MIME type, so a drop target ignores anything else dragged in. */
export const ORDER_MIME = 'application/x-wmsj-order';

export function startOrderDrag(e: DragEvent, orderId: string): void {
  if (!e.dataTransfer) return;
  e.dataTransfer.setData(ORDER_MIME, orderId);
  // Plain text too: the id is what a dispatcher would paste into a note.
  e.dataTransfer.setData('text/plain', orderId);
  e.dataTransfer.effectAllowed = 'move';
}

/** Lets the drop happen (and shows the move cursor) only for an order. */
export function acceptOrderDrag(e: DragEvent): boolean {
  if (!e.dataTransfer?.types.includes(ORDER_MIME)) return false;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'move';
  return true;
}

export const droppedOrder = (e: DragEvent): string | null => e.dataTransfer?.getData(ORDER_MIME) || null;
