package io.hallmark.server.console;

import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The console's static files, all from the jar: its own stylesheet and script, Chart.js and htmx from their WebJars.
 * A fixed list: no path from the request reaches the class loader.
 */
final class ConsoleAssets {

    private static final Map<String, String> FILES = Map.of(
            "console.css", "io/hallmark/server/console/assets/console.css",
            "console.js", "io/hallmark/server/console/assets/console.js",
            "chart.umd.min.js", "META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js",
            "htmx.min.js", "META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js");

    private ConsoleAssets() {
    }

    static void serve(Exchange x, String name) throws IOException {
        String resource = FILES.get(name);
        if (resource == null) throw new HttpError(404, "no such asset: " + name);
        byte[] body;
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new HttpError(404, "asset missing from the build: " + name);
            body = in.readAllBytes();
        }
        x.header("X-Content-Type-Options", "nosniff");
        x.header("Cache-Control", "max-age=3600");
        x.send(200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body);
    }
}
