package io.flowmate.core.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.camunda.client.api.JsonMapper;
import io.camunda.client.impl.CamundaObjectMapper;
import java.time.Clock;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

  /**
   * Process variables keep the camelCase names BPMN expressions use. Without this bean the Camunda
   * starter would copy the web ObjectMapper, whose snake_case naming belongs to the REST API only.
   */
  @Bean(name = "camundaJsonMapper")
  JsonMapper camundaJsonMapper() {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return new CamundaObjectMapper(mapper);
  }

  /** Enums travel in lower case ("pending", "pro") and are read in any case. */
  @Bean
  Jackson2ObjectMapperBuilderCustomizer lowerCaseEnums() {
    return builder ->
        builder.featuresToEnable(
            EnumFeature.WRITE_ENUMS_TO_LOWERCASE, MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
