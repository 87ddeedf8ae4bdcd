-- Custom fields are a flat object of texts: Audience filters them with @> and campaigns put them
-- into messages ({first_name}); an array, a number or a nested object would break both.
ALTER TABLE outreach_custom_group_member
    ADD CONSTRAINT outreach_custom_group_member_fields_texts
    CHECK (jsonb_typeof(fields) = 'object' AND NOT jsonb_path_exists(fields, '$.* ? (@.type() != "string")'));
ALTER TABLE outreach_custom_group
    ADD CONSTRAINT outreach_custom_group_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 255);
