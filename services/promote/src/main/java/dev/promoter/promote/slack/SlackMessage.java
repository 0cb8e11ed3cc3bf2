package dev.promoter.promote.slack;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A Slack message owed about a promotion request: its first post, or an update of that post. */
@Entity
@Table(name = "slack_message")
public class SlackMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Long requestId;
    public String text;
    public String blocks;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant sentAt;
    public String error;
    /** Until when a sender holds the message; other senders leave it alone until then. */
    public Instant claimedUntil;
}
