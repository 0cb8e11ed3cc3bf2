package dev.promoter.build.source;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/** Maps source repositories (GitHub, GitLab) and OCI repositories to the applications that own them. */
@ApplicationScoped
public class ApplicationSources implements PanacheRepositoryBase<ApplicationSource, String> {

    /** The applications whose definitions name this GitHub repository ({@code owner/name}); a monorepo has several. */
    public Uni<List<ApplicationSource>> byGitHub(String fullName) {
        return list("github = ?1 order by application", fullName.toLowerCase(Locale.ROOT));
    }

    /** The applications whose definitions name this GitLab project path. */
    public Uni<List<ApplicationSource>> byGitLab(String projectPath) {
        return list("gitlab = ?1 order by application", projectPath.toLowerCase(Locale.ROOT));
    }

    /** The application whose definition names this OCI repository ({@code host[:port]/path}), or null. */
    public Uni<ApplicationSource> byRepository(String repository) {
        return find("repository", repository).firstResult();
    }
}
