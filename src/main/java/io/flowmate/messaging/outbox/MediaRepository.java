package io.flowmate.messaging.outbox;

import static io.flowmate.core.db.Sql.timestamp;

import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Media sent inline (base64), kept until its message is gone. */
@Repository
class MediaRepository {

  record StoredMedia(String mimetype, String filename, byte[] content) {}

  private final JdbcClient jdbc;

  MediaRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  UUID store(TenantId tenant, String mimetype, String filename, byte[] content, Instant at) {
    UUID id = Ids.newId();
    jdbc.sql(
            "INSERT INTO messaging_media (id, tenant_id, mimetype, filename, content, created_at)"
                + " VALUES (:id, :tenant, :mimetype, :filename, :content, :at)")
        .param("id", id)
        .param("tenant", tenant.value())
        .param("mimetype", mimetype)
        .param("filename", filename)
        .param("content", content)
        .param("at", timestamp(at))
        .update();
    return id;
  }

  Optional<StoredMedia> find(UUID id) {
    return jdbc.sql("SELECT mimetype, filename, content FROM messaging_media WHERE id = :id")
        .param("id", id)
        .query((rs, row) ->
            new StoredMedia(
                rs.getString("mimetype"), rs.getString("filename"), rs.getBytes("content")))
        .optional();
  }
}
