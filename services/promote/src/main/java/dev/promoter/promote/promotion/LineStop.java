package dev.promoter.promote.promotion;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The line stopped by a person: no digest enters any stage of the application ({@code scope} its name), or of every
 * application ({@code scope} {@value #ALL}), until someone resumes it. Rollbacks are not promotions and go on.
 */
@Entity
@Table(name = "line_stop")
public class LineStop {

    /** The scope of a stop that holds every application. */
    public static final String ALL = "*";

    @Id
    public String scope;
    /** The person, as the pipeline definition's people name them (or the identity when nobody claims it). */
    public String stoppedBy;
    /** The identity they acted under: slack:U…, api:<caller>. */
    public String identity;
    public String via;
    public String reason;
    public Instant stoppedAt;

    /** The application whose line is stopped; null when every application's is. */
    public String application() {
        return ALL.equals(scope) ? null : scope;
    }
}
