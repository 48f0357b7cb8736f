package dev.soi.local;

import dev.soi.api.ApiProperties;
import dev.soi.api.security.ApiSecurityConfiguration;
import dev.soi.api.security.ProblemAuthenticationEntryPoint;
import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemResponses;
import dev.soi.api.web.ProblemType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The local stack's operator controls ({@code /local/*}: run, rebuild, compact, bootstrap, status, the dead letters and
 * their redrive) need the operator role, as {@code /actuator/metrics} does: the same bearer tokens as the API, and a units
 * claim that holds {@code soi.api.auth.operator-group}. A unit's token gets 403, none 401, both as problem documents. The
 * {@code ./soi} commands mint an operator token from {@code SOI_HOME}; a unit still sees its own submissions' dead-letter
 * reasons through the API's status endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class LocalSecurityConfiguration {

    @Bean
    SecurityFilterChain soiLocalSecurityFilterChain(HttpSecurity http, JwtDecoder soiJwtDecoder, ProblemResponses problems,
                                                    ApiProperties properties) throws Exception {
        ProblemAuthenticationEntryPoint unauthenticated = new ProblemAuthenticationEntryPoint(problems);
        AccessDeniedHandler notAnOperator = (request, response, e) -> problems.write(new ApiProblem(ProblemType.ACCESS_DENIED,
                request.getRequestURI() + " is an operator control: it needs a token whose " + properties.auth().unitsClaim()
                        + " claim holds " + properties.auth().operatorGroup() + " (./soi token --operator)"), request, response);
        http.securityMatcher("/local/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(ApiSecurityConfiguration.OPERATOR))
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.decoder(soiJwtDecoder).jwtAuthenticationConverter(ApiSecurityConfiguration.authorities(properties.auth())))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(notAnOperator))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(notAnOperator));
        return http.build();
    }
}
