package io.flowmate.core.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * REST API conventions ({@code flowmate.api.*}).
 *
 * @param maxBodySize largest JSON request body accepted; larger bodies get 413
 * @param maxImportSize largest body of a bulk import ({@code POST …/import/…}, e.g. a CSV file of
 *     contacts), which is read as a stream rather than held in memory; larger bodies get 413
 * @param publicUrl the base URL printed at start-up and used in links (default: derived from the
 *     server port)
 */
@ConfigurationProperties("flowmate.api")
public record ApiSettings(
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("20MB") DataSize maxImportSize,
    String publicUrl) {}
