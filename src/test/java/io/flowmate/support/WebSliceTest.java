package io.flowmate.support;

import io.flowmate.admin.apikey.ApiKeyService;
import io.flowmate.core.web.WebSliceConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A web slice of one or more controllers: MockMvc over Spring MVC with Flowmate's real request
 * pipeline (body-size limit, API-key authentication, rate limit, scope interceptor, caller
 * resolver, problem+json advice), but no database, engine or other module. The controllers'
 * collaborators are {@code @MockitoBean}s of the test class; {@link ApiKeyService} is a mock that
 * {@code admin.apikey.TestApiKeys} tells which key to accept. Starts in about a second, where an
 * integration test boots the whole application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import(WebSliceConfiguration.class)
@MockitoBean(types = ApiKeyService.class)
public @interface WebSliceTest {

  /** The controllers under test. */
  @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
  Class<?>[] value();
}
