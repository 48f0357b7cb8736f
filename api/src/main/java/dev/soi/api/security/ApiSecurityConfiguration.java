package dev.soi.api.security;

import dev.soi.api.ApiProperties;
import dev.soi.api.web.ProblemResponses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
 * paths. Health probes and the OpenAPI document are open; everything else needs a valid JWT. Which
 * business units a caller may use is decided per request by the controller, after the registry check,
 * so an unknown unit is 404 for everyone and an existing one is 403 for outsiders.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurityConfiguration {

    @Bean
    SecurityFilterChain soiApiSecurityFilterChain(HttpSecurity http, JwtDecoder soiJwtDecoder, ProblemResponses problems) throws Exception {
        ProblemAuthenticationEntryPoint problemEntryPoint = new ProblemAuthenticationEntryPoint(problems);
        http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.decoder(soiJwtDecoder))
                        .authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemEntryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(problemEntryPoint).accessDeniedHandler(problemEntryPoint));
        return http.build();
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
