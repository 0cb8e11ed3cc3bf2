/**
 * promoterBuild: tells the promotion pipeline's build service that this build pushed an image.
 *
 * One line in a Jenkinsfile, after the image is pushed:
 *
 *   promoterBuild application: 'shop-cart', repository: 'registry.example.com/shop/cart', digest: digest
 *
 * It POSTs the build report to {url}/api/v1/builds with the HTTP Request plugin's httpRequest step and a bearer
 * token read from a "Secret text" credential (Credentials Binding plugin), so the token is masked in the log.
 *
 * Arguments (all strings):
 *   application   required: the application, as its pipeline definition names it
 *   repository    required: <registry host[:port]>/<path> the image was pushed to
 *   digest        required: sha256:<64 hex>, the manifest digest the push printed (not a tag)
 *   commit        default env.GIT_COMMIT
 *   buildUrl      default env.BUILD_URL
 *   author        default env.CHANGE_AUTHOR, else env.BUILD_USER_ID, else nothing
 *   labels        optional map of strings, e.g. [team: 'checkout']
 *   url           default env.PROMOTER_BUILD_URL: the build service, e.g. https://promoter-build.example.com
 *   credentialsId default 'promoter-build-token': the Secret text credential holding this caller's token
 *
 * Returns the service's receipt as a map: eventId, application, digest, duplicate.
 * Fails the build when the service refuses the report, with the service's explanation.
 */
def call(Map args = [:]) {
    String url = args.url ?: env.PROMOTER_BUILD_URL
    if (!url) {
        error 'promoterBuild: set url: or the environment variable PROMOTER_BUILD_URL to the build service address'
    }
    ['application', 'repository', 'digest'].each { name ->
        if (!args[name]) {
            error "promoterBuild: the argument ${name} is required"
        }
    }
    Map report = [
            application: args.application,
            repository : args.repository,
            digest     : args.digest,
            commit     : args.commit ?: env.GIT_COMMIT,
            buildUrl   : args.buildUrl ?: env.BUILD_URL,
            author     : args.author ?: (env.CHANGE_AUTHOR ?: env.BUILD_USER_ID),
            labels     : args.labels,
    ].findAll { key, value -> value != null && value != '' }
    String credentialsId = args.credentialsId ?: 'promoter-build-token'
    def response
    withCredentials([string(credentialsId: credentialsId, variable: 'PROMOTER_BUILD_TOKEN')]) {
        response = httpRequest(
                url: url.replaceAll('/+$', '') + '/api/v1/builds',
                httpMode: 'POST',
                contentType: 'APPLICATION_JSON',
                acceptType: 'APPLICATION_JSON',
                requestBody: groovy.json.JsonOutput.toJson(report),
                customHeaders: [[name: 'Authorization', value: 'Bearer ' + env.PROMOTER_BUILD_TOKEN, maskValue: true]],
                validResponseCodes: '100:599',
                timeout: 30,
                quiet: true)
    }
    if (response.status != 202) {
        error "promoterBuild: the build service answered ${response.status}: ${response.content}"
    }
    Map receipt = new groovy.json.JsonSlurperClassic().parseText(response.content) as Map
    echo "promoterBuild: ${receipt.application} ${receipt.digest} reported" +
            (receipt.duplicate ? ' (already known; nothing published again)' : " as event ${receipt.eventId}")
    return receipt
}
