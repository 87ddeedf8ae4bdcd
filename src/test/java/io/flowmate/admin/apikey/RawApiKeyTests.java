package io.flowmate.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RawApiKeyTests {

  @Test
  void generatedKeysAreWellFormedAndUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      RawApiKey key = RawApiKey.generate();
      assertThat(RawApiKey.isWellFormed(key.value())).isTrue();
      assertThat(key.value()).startsWith("fm_").hasSize(43);
      assertThat(seen.add(key.value())).isTrue();
    }
  }

  @Test
  void hashIsSha256AndTheKeyNeverPrintsItsSecret() {
    assertThat(HexFormat.of().formatHex(RawApiKey.sha256("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    RawApiKey key = RawApiKey.generate();
    assertThat(key.hash()).isEqualTo(RawApiKey.sha256(key.value()));
    assertThat(key.toString()).isEqualTo(key.displayPrefix() + "…").doesNotContain(key.value());
  }

  @Test
  void bootstrapKeysMustBeLongAndPlain() {
    assertThat(RawApiKey.isWellFormed("fm_" + "a".repeat(32))).isTrue();
    assertThat(RawApiKey.isWellFormed("fm_" + "a".repeat(31))).isFalse();
    assertThat(RawApiKey.isWellFormed("xx_" + "a".repeat(40))).isFalse();
    assertThat(RawApiKey.isWellFormed("fm_" + "a".repeat(31) + "!")).isFalse();
    assertThat(RawApiKey.isWellFormed(null)).isFalse();
  }
}
