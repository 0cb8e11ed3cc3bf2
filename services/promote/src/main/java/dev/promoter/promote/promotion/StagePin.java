package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A stage held at a digest by a person: nothing else enters it until it is unpinned. */
@Entity
@Table(name = "stage_pin")
@IdClass(StagePin.Key.class)
public class StagePin {

    @Id
    public String application;
    @Id
    public String stage;
    public String digest;
    public String pinnedBy;
    public String reason;
    public Instant pinnedAt;

    /** The primary key: one pin per stage. */
    public static class Key implements Serializable {
        public String application;
        public String stage;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.application.equals(application) && key.stage.equals(stage);
        }

        @Override
        public int hashCode() {
            return application.hashCode() * 31 + stage.hashCode();
        }
    }
}
