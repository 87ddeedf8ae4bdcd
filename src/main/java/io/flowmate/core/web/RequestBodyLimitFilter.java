package io.flowmate.core.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.api.BodyTooLargeException;
import io.flowmate.core.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects request bodies above {@code flowmate.api.max-body-size} with 413, on every path and for
 * every content type (multipart included: it is switched off, and would otherwise be parsed before
 * the key is checked): at once when the declared length is too big, and while reading when a
 * chunked body grows past the limit. Bulk imports ({@code POST …/import/…}) have their own limit,
 * {@code flowmate.api.max-import-size}, as their endpoints read them as a stream.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimitFilter extends OncePerRequestFilter {

  private final ObjectMapper objectMapper;
  private final long maxBytes;
  private final long maxImportBytes;

  RequestBodyLimitFilter(ObjectMapper objectMapper, ApiSettings settings) {
    this.objectMapper = objectMapper;
    this.maxBytes = settings.maxBodySize().toBytes();
    this.maxImportBytes = settings.maxImportSize().toBytes();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = isImport(request) ? maxImportBytes : maxBytes;
    if (request.getContentLengthLong() > limit) {
      Problems.write(
          response,
          objectMapper,
          HttpStatus.PAYLOAD_TOO_LARGE,
          tooLarge(limit),
          request.getRequestURI(),
          Map.of());
      return;
    }
    chain.doFilter(new LimitedRequest(request, limit), response);
  }

  private static boolean isImport(HttpServletRequest request) {
    return "POST".equals(request.getMethod()) && request.getRequestURI().contains("/import/");
  }

  private static String tooLarge(long limit) {
    return "The request body is larger than the limit of %s".formatted(DataSize.ofBytes(limit));
  }

  private final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private final class CountingStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private long count;

    CountingStream(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      count += n;
      if (count > limit) {
        throw new BodyTooLargeException(tooLarge(limit));
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
