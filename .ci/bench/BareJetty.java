import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The anchor of the HTTP benchmark (.ci/measure-http): bare Jetty, the version the platform's Pax Web runs, with one
 * servlet answering each path with the bytes and headers the platform answered it with (captured by the script).
 * Usage: java -cp <the distribution's Jetty and servlet jars> BareJetty.java PORT FOLDER, where FOLDER holds for each
 * path a pair NAME.path, NAME.body and NAME.headers ("Name: value" lines).
 */
public class BareJetty {
    record Answer(byte[] body, List<String[]> headers) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Map<String, Answer> answers = new LinkedHashMap<>();
        try (var files = Files.list(Paths.get(args[1]))) {
            for (Path path : files.filter(f -> f.toString().endsWith(".path")).toList()) {
                String name = path.getFileName().toString().replaceFirst("\\.path$", "");
                List<String[]> headers = Files.readAllLines(path.resolveSibling(name + ".headers")).stream()
                        .filter(l -> l.contains(":"))
                        .map(l -> new String[] {l.substring(0, l.indexOf(':')).strip(), l.substring(l.indexOf(':') + 1).strip()})
                        .toList();
                answers.put(Files.readString(path).strip(), new Answer(Files.readAllBytes(path.resolveSibling(name + ".body")), headers));
            }
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String uri = request.getRequestURI();
                Answer answer = answers.get(request.getQueryString() == null ? uri : uri + "?" + request.getQueryString());
                if (answer == null) {
                    response.sendError(404);
                    return;
                }
                for (String[] header : answer.headers()) {
                    response.setHeader(header[0], header[1]);
                }
                response.setContentLength(answer.body().length);
                response.getOutputStream().write(answer.body());
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        System.out.println("bare Jetty " + Server.getVersion() + " on " + port + ": " + answers.keySet());
        server.join();
    }
}
