package io.flowmate.core.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link ProblemErrorReportValve} in place of Tomcat's HTML error report. */
@Configuration(proxyBeanMethods = false)
class TomcatErrorConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(
      ObjectMapper objectMapper) {
    return new ProblemErrorReports(objectMapper);
  }

  /**
   * Runs after Spring Boot's own Tomcat customizer, which adds a plain {@link ErrorReportValve} to
   * the host when stack traces are off; that one is replaced here.
   */
  private record ProblemErrorReports(ObjectMapper objectMapper)
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(context -> {
        StandardHost host = (StandardHost) context.getParent();
        for (Valve valve : host.getPipeline().getValves()) {
          if (valve instanceof ErrorReportValve) {
            host.getPipeline().removeValve(valve);
          }
        }
        ProblemErrorReportValve valve = new ProblemErrorReportValve(objectMapper);
        host.getPipeline().addValve(valve);
        // The host adds a report valve of this class on start unless one is there already.
        host.setErrorReportValveClass(valve.getClass().getName());
      });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
