import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as `npm start` runs it: `java ... LoopbackDynamoDbLocal.java HOST <DynamoDBLocal.jar
 * options>`. The jar has no option to choose its address and listens on every interface; this binds
 * it to HOST, refuses requests whose Host header is not a loopback name (DNS rebinding) or that
 * carry an Origin header (a web page; the SDK never sends one), and exits when its standard input
 * closes, which is when the Node process that started it dies, however it dies.
 */
public class LoopbackDynamoDbLocal {
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

  public static void main(String[] args) throws Exception {
    exitWhenStdinCloses();
    DynamoDBProxyServer proxy;
    try {
      proxy = ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    } catch (Exception error) {
      // The jar prints these and exits with 0; a refusal is a failure.
      System.err.println("DynamoDB Local refused to start: " + error.getMessage());
      System.exit(1);
      return;
    }
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost(args[0]);
    }
    server.setHandler(new Guard(server.getHandler()));
    try {
      proxy.start();
    } catch (Exception error) {
      System.err.println("DynamoDB Local could not listen: " + error);
      System.exit(1);
    }
  }

  private static void exitWhenStdinCloses() {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is ever written; only the end of the stream matters.
        }
      } catch (Exception ignored) {
        // A broken pipe ends it just the same.
      }
      Runtime.getRuntime().halt(0);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Lets through only what the SDK sends: a loopback Host and no Origin. */
  private static final class Guard extends Handler.Wrapper {
    Guard(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String host = request.getHeaders().get(HttpHeader.HOST);
      String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase();
      if (!LOOPBACK_NAMES.contains(name)) {
        return refuse(response, callback, 421, "DynamoDB Local answers only to a loopback Host (127.0.0.1 or localhost), not " + host + ".\n");
      }
      if (request.getHeaders().get(HttpHeader.ORIGIN) != null) {
        return refuse(response, callback, 403, "DynamoDB Local refuses requests from web pages (an Origin header was sent).\n");
      }
      return super.handle(request, response, callback);
    }

    private static boolean refuse(Response response, Callback callback, int status, String text) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, text, callback);
      return true;
    }
  }
}
