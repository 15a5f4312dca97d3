/** The live request log (issue 8 fills this in). */
export function RequestsPage({ params }: { params: URLSearchParams }) {
  return (
    <section aria-label="Requests" data-testid="requests-page">
      <h2>Requests</h2>
      <p>{params.toString()}</p>
    </section>
  );
}
