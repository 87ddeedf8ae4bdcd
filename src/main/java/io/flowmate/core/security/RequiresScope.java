package io.flowmate.core.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes an API operation requires; all must be granted. An empty value means any valid key may
 * call it. Every {@code /api/} operation carries this annotation (a test checks it), so no endpoint
 * is accidentally left unprotected.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {

  String[] value();
}
