package org.tradehub.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.tradehub.config.HubProperties;

/**
 * Size limit on every HTTP input, enforced before any route reads a byte: a declared Content-Length over the
 * limit is refused at once with 413, and a chunked body is cut off as soon as it passes the limit (the route then
 * fails and the error policy answers 413, or, when the body was read before the route, this filter does). Limits
 * differ per path family.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final HubProperties.Limits limits;
    private final org.tradehub.as2.As2Properties as2;
    private final ProblemDetails problems;

    public RequestSizeLimitFilter(HubProperties hub, org.tradehub.as2.As2Properties as2, ProblemDetails problems) {
        this.limits = hub.limits();
        this.as2 = as2;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getRequestURI());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(request, response, limit);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (BodyTooLargeException e) {
            // read past the limit before a route ran (the HTTP binding takes in a streamed body whole)
            if (!response.isCommitted()) {
                response.reset();
                tooLarge(request, response, limit);
            }
        }
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        // the rest of the body is not read: the connection cannot carry another request
        response.setHeader("Connection", "close");
        problems.write(response, HubProblemException.tooLarge(limit), request.getRequestURI());
    }

    private long limitFor(String path) {
        if (path.startsWith("/webhooks/")) {
            return limits.webhookBodyBytes();
        }
        if (path.startsWith(as2.path())) {
            return as2.maxBodyBytes();
        }
        if (path.startsWith("/callbacks/") || path.startsWith("/sandbox/")) {
            return limits.callbackBodyBytes();
        }
        return limits.apiBodyBytes();
    }

    /** Raised when a body without a declared length grows past the limit. */
    public static final class BodyTooLargeException extends IOException {
        private final long limit;

        BodyTooLargeException(long limit) {
            super("request body exceeds " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
