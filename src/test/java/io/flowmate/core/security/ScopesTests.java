package io.flowmate.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.core.InvalidValueException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopesTests {

  @ParameterizedTest(name = "{0} grants {1}: {2} ({3})")
  @CsvSource(
      textBlock =
          """
          sessions:read,   sessions:read,   true, exact
          sessions:manage, sessions:read,   true, manage implies read
          sessions:read,   sessions:manage, false, read does not imply manage
          messages:send,   messages:read,   false, sending does not open chat history
          messages:read,   messages:send,   false, reading does not allow sending
          *,               messages:send,   true, wildcard
          *,               tenants:manage,  false, operator scopes are never implied
          tenants:manage,  tenants:read,    true, operators manage tenants
          leads:manage,    sessions:read,   false, other family
          """)
  void grants(String granted, String required, boolean expected, String rule) {
    assertThat(Scopes.grants(Set.of(granted), required)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void parseNormalisesAndRejectsUnknownScopes() {
    assertThat(Scopes.parse(List.of(" Messages:Send ", "messages:send", "*")))
        .containsExactly("*", "messages:send");
    assertThatThrownBy(() -> Scopes.parse(List.of("messages:delete")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("messages:delete");
    assertThatThrownBy(() -> Scopes.parse(List.of("messages")))
        .isInstanceOf(InvalidValueException.class);
  }

  @org.junit.jupiter.api.Test
  void everyPresetIsMadeOfKnownScopesAndReadOnlyHasNoWriteScope() {
    Scopes.PRESETS
        .values()
        .forEach(preset -> assertThat(Scopes.parse(preset)).hasSameSizeAs(preset));
    assertThat(Scopes.PRESETS.get("read_only")).allMatch(scope -> scope.endsWith(":read"));
    assertThat(Scopes.PRESETS.get("read_only")).doesNotContain("tenants:read");
  }
}
