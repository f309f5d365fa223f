// A test file inside routes/: the router must not turn it into /ignored_test.
export const handler = (): Response => new Response("must not be routed");
