package dev.promoter.promote.definition;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A pipeline definition as last saved: its YAML, its revision number, who saved it and when. */
@Entity
@Table(name = "pipeline_definition")
public class StoredDefinition {

    @Id
    public String application;
    public String repository;
    public String yaml;
    public String updatedBy;
    public Instant updatedAt;
    /** The current revision; every save that changes the text adds one ({@link DefinitionRevision}). */
    public int revision;
}
