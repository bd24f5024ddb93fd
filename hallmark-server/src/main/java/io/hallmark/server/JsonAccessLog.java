package io.hallmark.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hallmark.core.files.OwnerOnlyFile;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * The access log: one JSON object a line ({@code time, remote, method, path, status, bytes, micros}), for any
 * log pipeline. Written with a JSON generator rather than Jetty's format string: the request line is the
 * client's text, and only real escaping keeps a quote or a control character in it from breaking or forging
 * a line. The path is logged as sent (percent-encoded), without the query; the time is when the request
 * arrived, ISO-8601 UTC with milliseconds.
 */
final class JsonAccessLog extends ContainerLifeCycle implements RequestLog {

    private static final JsonFactory JSON = new JsonFactory();

    private final RequestLogWriter writer;

    JsonAccessLog(java.nio.file.Path file) {
        // Who asked for what, from where: its owner's only. Created 0600 (and its directory 0700) before Jetty
        // opens it for appending, which keeps the mode; one an older installation left readable is narrowed.
        OwnerOnlyFile.directory(file.toAbsolutePath().getParent()).ifPresent(JsonAccessLog::notice);
        OwnerOnlyFile.file(file).ifPresent(JsonAccessLog::notice);
        writer = new RequestLogWriter(file.toString());
        writer.setAppend(true);
        addBean(writer);
    }

    private static void notice(String text) {
        LoggerFactory.getLogger(JsonAccessLog.class).warn(text);
    }

    @Override
    public void log(Request request, Response response) {
        try {
            writer.write(line(request, response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(Request request, Response response) throws IOException {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(Request.getTimeStamp(request)).truncatedTo(ChronoUnit.MILLIS).toString());
            g.writeStringField("remote", Request.getRemoteAddr(request));
            g.writeStringField("method", request.getMethod());
            g.writeStringField("path", request.getHttpURI().getPath());
            g.writeNumberField("status", response.getStatus());
            g.writeNumberField("bytes", Response.getContentBytesWritten(response));
            g.writeNumberField("micros", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime()));
            g.writeEndObject();
        }
        return out.toString();
    }
}
