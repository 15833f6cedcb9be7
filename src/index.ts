export default {
  async fetch() { return new Response("ok"); },
  async email(message) { message.setReject("nope"); },
  async scheduled() {},
} satisfies ExportedHandler<Env>;
