package io.flowmate.core.web;

import io.flowmate.core.InvalidValueException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters name enum values in lower case, like the JSON bodies ({@code ?status=pending}).
 */
@Configuration(proxyBeanMethods = false)
class EnumParameterConfiguration implements WebMvcConfigurer {

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverterFactory(new LenientEnumConverterFactory());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class LenientEnumConverterFactory implements ConverterFactory<String, Enum> {
    @Override
    public <T extends Enum> Converter<String, T> getConverter(Class<T> type) {
      return source -> {
        String value = source.trim();
        for (T constant : type.getEnumConstants()) {
          if (constant.name().equalsIgnoreCase(value)) {
            return constant;
          }
        }
        throw new InvalidValueException(
            "'%s' is not one of %s"
                .formatted(
                    source,
                    Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase())
                        .collect(Collectors.joining(", "))));
      };
    }
  }
}
