// axios in a process of its own for client-axios.test.ts: node axios-client.mjs <request>...
// <request>: "METHOD URL" or "METHOD URL BODY" (one argument), sent in turn with axios's Node (http)
// adapter and its default proxy handling (the proxy variables of this process's environment).
// Prints a line per request: "<status> <body>", or "error <message>".
import axios from 'axios';

for (const arg of process.argv.slice(2)) {
  const [method, url, ...body] = arg.split(' ');
  try {
    const response = await axios.request({
      method,
      url,
      data: body.length > 0 ? body.join(' ') : undefined,
      headers: { 'content-type': 'text/plain' },
      responseType: 'text',
    });
    console.log(`${response.status} ${response.data}`);
  } catch (error) {
    console.log(`error ${error.message}`);
  }
}
