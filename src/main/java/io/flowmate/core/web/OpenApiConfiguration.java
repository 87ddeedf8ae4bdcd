package io.flowmate.core.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  private static final String API_KEY = "ApiKey";

  @Bean
  OpenAPI flowmateOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Flowmate API")
                .version("v2")
                .description(
                    "Self-hosted WhatsApp automation on Camunda 8. Paths, fields and enums follow"
                        + " the MoltFlow API; authenticate with the X-API-Key header (or"
                        + " Authorization: Bearer <key>). Errors are RFC 9457 problems with a"
                        + " 'detail'.")
                .license(new License().name("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    API_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")))
        .addSecurityItem(new SecurityRequirement().addList(API_KEY));
  }
}
