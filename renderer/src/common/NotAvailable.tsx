/** Says plainly that the back end lacks an operation this screen needs. */
export function NotAvailable({ what, op }: { what: string; op: string }) {
  return (
    <div className="notice notice--unavailable" role="status">
      <strong>{what} is not available.</strong> This Cairn back end does not offer the <code>{op}</code> operation yet.
    </div>
  );
}
