package io.hallmark.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Errors Jetty raises itself (body too large, malformed HTTP) read like Hallmark's: one plain-text line. */
public final class PlainErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        // A failure Jetty caught (a handler threw past the router, an Error say) carries the throwable's text as its
        // message: class names and driver internals, never for the client. The log has it.
        String text = cause != null && code >= 500 ? "internal error" : message;
        String line = Exchange.reason(text == null || text.isBlank() ? "HTTP " + code : text) + "\n";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
