// A java.net.http.HttpClient for client-java.test.ts, run from source: java MeshClient.java <client> <request>...
// <client>: `selector`: HttpClient.newBuilder().proxy(ProxySelector.getDefault()), the system-wide
//           selector, which reads the http.proxyHost/http.proxyPort/http.nonProxyHosts properties;
//           `default`: HttpClient.newHttpClient(), no proxy() call at all;
//           `of:<port>`: HttpClient.newBuilder().proxy(ProxySelector.of(127.0.0.1:<port>));
//           `select`: sends nothing, prints what ProxySelector.getDefault() picks for each URL.
// <request>: "METHOD URL" or "METHOD URL BODY" (one argument). Prints a line per request:
// "<status> <body>", "error <exception>", or for `select` the chosen proxies.
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class MeshClient {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    HttpClient client;
    if (mode.equals("selector")) {
      client = HttpClient.newBuilder().proxy(ProxySelector.getDefault()).build();
    } else if (mode.equals("default")) {
      client = HttpClient.newHttpClient();
    } else if (mode.startsWith("of:")) {
      int port = Integer.parseInt(mode.substring(3));
      client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port))).build();
    } else if (mode.equals("select")) {
      client = null;
    } else {
      throw new IllegalArgumentException("unknown client " + mode);
    }
    for (int i = 1; i < args.length; i++) {
      String[] parts = args[i].split(" ", 3);
      URI uri = URI.create(parts[1]);
      if (client == null) {
        System.out.println(ProxySelector.getDefault().select(uri));
        continue;
      }
      HttpRequest.BodyPublisher body = parts.length > 2 ? HttpRequest.BodyPublishers.ofString(parts[2]) : HttpRequest.BodyPublishers.noBody();
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).method(parts[0], body).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
      } catch (Exception error) {
        System.out.println("error " + error);
      }
    }
  }
}
