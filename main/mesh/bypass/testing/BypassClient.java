// A Java service's client for bypass-watcher.test.ts, run from source: java BypassClient.java <url>
// HttpClient.newHttpClient() with no proxy settings, calling <url> every 200 ms over its kept-alive
// connection until killed; prints "ok <status>" after the first answer.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class BypassClient {
  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).build();
    boolean first = true;
    while (true) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (first) {
        System.out.println("ok " + response.statusCode());
        System.out.flush();
        first = false;
      }
      Thread.sleep(200);
    }
  }
}
