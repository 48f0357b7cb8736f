package dev.soi.api.security;

import dev.soi.api.ApiProperties;
import dev.soi.api.web.ProblemResponses;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer-token security for the API's paths only ({@code /api/**}, {@code /actuator/**},
 * {@code /v3/api-docs/**}), so a host application (the local launcher) keeps its own rules for its own
 * paths. The liveness and readiness probes and the OpenAPI document are open; the rest of the actuator
 * needs an operator ({@code soi.api.auth.operator-group}); everything else needs a valid JWT. Which
 * business units a caller may use is decided per request by the controller, after the registry check,
 * so an unknown unit is 404 for everyone and an existing one is 403 for outsiders.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurityConfiguration {

    @Bean
    SecurityFilterChain soiApiSecurityFilterChain(HttpSecurity http, JwtDecoder soiJwtDecoder, ProblemResponses problems,
                                                  ApiProperties properties) throws Exception {
        ProblemAuthenticationEntryPoint problemEntryPoint = new ProblemAuthenticationEntryPoint(problems);
        http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth
                        // Callers (and the Lambda Web Adapter's readiness check) see the two probes only; the
                        // rest of the actuator (metrics, info, the health tree) is for operators.
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness", "/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasAuthority(OPERATOR)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.decoder(soiJwtDecoder).jwtAuthenticationConverter(authorities(properties.auth())))
                        .authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemEntryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(problemEntryPoint).accessDeniedHandler(problemEntryPoint));
        return http.build();
    }

    /**
     * No observation per security filter, authentication and authorization: on every request they timed each of about
     * fifteen filters (a JFR profile of the API's reads put them and their meters at about a sixth of a GET's CPU).
     * The request's own observation ({@code http.server.requests}) and our {@code soi.api.*} meters stay; rejections
     * are counted there by reason.
     */
    @Bean
    SecurityObservationSettings soiSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** The authority of a caller whose units claim holds {@code soi.api.auth.operator-group}. */
    public static final String OPERATOR = "SOI_OPERATOR";

    public static Converter<Jwt, AbstractAuthenticationToken> authorities(ApiProperties.Auth auth) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            Object claim = jwt.getClaims().get(auth.unitsClaim());
            boolean operator = claim instanceof Collection<?> values ? values.stream().anyMatch(v -> auth.operatorGroup().equals(String.valueOf(v)))
                    : claim instanceof String text && List.of(text.split("[\\s,]+")).contains(auth.operatorGroup());
            return operator ? List.<GrantedAuthority>of(new SimpleGrantedAuthority(OPERATOR)) : List.of();
        });
        return converter;
    }

    @Bean
    JwtDecoder soiJwtDecoder(ApiProperties properties) {
        return jwtDecoder(properties.auth());
    }

    /** The decoder for {@code soi.api.auth}: HS256 with the shared secret, or the issuer's JWKS. */
    public static JwtDecoder jwtDecoder(ApiProperties.Auth auth) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        NimbusJwtDecoder decoder;
        if (auth.mode().equals(ApiProperties.Auth.HS256)) {
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(auth.secretBytes(), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
            validators.add(JwtValidators.createDefault());
            validators.add(new TokenLifetimeValidator(auth.maxTokenLifetime(), Clock.systemUTC()));
        } else {
            decoder = auth.jwkSetUri() != null && !auth.jwkSetUri().isBlank()
                    ? NimbusJwtDecoder.withJwkSetUri(auth.jwkSetUri()).build()
                    : NimbusJwtDecoder.withIssuerLocation(auth.issuerUri()).build();
            validators.add(auth.issuerUri() != null && !auth.issuerUri().isBlank()
                    ? JwtValidators.createDefaultWithIssuer(auth.issuerUri())
                    : JwtValidators.createDefault());
        }
        if (auth.audience() != null && !auth.audience().isBlank()) {
            validators.add(audience(auth.audience()));
        }
        validators.add(new PrincipalValidator(auth.principalClaims()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    /** Cognito ID tokens carry {@code aud}; its access tokens carry {@code client_id} instead. Either may match. */
    static OAuth2TokenValidator<Jwt> audience(String expected) {
        return jwt -> {
            boolean inAud = jwt.getAudience() != null && jwt.getAudience().contains(expected);
            Object clientId = jwt.getClaims().get("client_id");
            boolean isClient = clientId != null && expected.equals(clientId.toString())
                    || clientId instanceof Collection<?> c && c.contains(expected);
            return inAud || isClient ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token is not meant for audience " + expected, null));
        };
    }
}
