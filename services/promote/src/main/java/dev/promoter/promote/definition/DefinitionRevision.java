package dev.promoter.promote.definition;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** One saved version of a pipeline definition: its number, its YAML, who saved it and when. Never updated. */
@Entity
@Table(name = "pipeline_definition_revision")
@IdClass(DefinitionRevision.Key.class)
public class DefinitionRevision {

    @Id
    public String application;
    @Id
    public int revision;
    public String yaml;
    public String savedBy;
    public Instant savedAt;
    /** Stages whose approval rules, approvers or gates this revision changed, comma-separated. */
    public String gatesChanged;

    /** The stages whose gates this revision changed. */
    public List<String> gatesChanged() {
        return gatesChanged == null || gatesChanged.isEmpty() ? List.of() : Arrays.asList(gatesChanged.split(","));
    }

    /** The primary key. */
    public static class Key implements Serializable {
        public String application;
        public int revision;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.application.equals(application) && key.revision == revision;
        }

        @Override
        public int hashCode() {
            return application.hashCode() * 31 + revision;
        }
    }
}
