-- The identity provider's groups of an OIDC caller when they decided (newline-separated; null for Slack users and
-- static tokens), so an approval rule's @group entries keep matching them when the request is evaluated again.
alter table promotion_decision add column caller_groups text;
