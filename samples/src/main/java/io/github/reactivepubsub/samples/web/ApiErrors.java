package io.github.reactivepubsub.samples.web;

import io.github.reactivepubsub.InvalidKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Turns client mistakes into {@code 400 Bad Request} with a JSON {@link ApiError} that says what was wrong: a
 * malformed key or pattern (the {@link InvalidKeyException}'s message), a missing parameter, a missing or unreadable
 * JSON body, a publish to one of the hub's meta topics; and a body over {@link ApiController#MAX_PAYLOAD_BYTES} into
 * {@code 413 Content Too Large}. The body is JSON even when the client asked for {@code text/event-stream}.
 */
@RestControllerAdvice
public class ApiErrors {

    /**
     * An error answer.
     *
     * @param status the HTTP status code
     * @param error the status' reason phrase
     * @param reason what was wrong with the request
     */
    public record ApiError(int status, String error, String reason) {
    }

    /**
     * @param e a malformed key or pattern
     * @return 400 with the exception's message
     */
    @ExceptionHandler(InvalidKeyException.class)
    public ResponseEntity<ApiError> invalidKey(InvalidKeyException e) {
        return badRequest(e.getMessage());
    }

    /**
     * @param e a missing parameter or an unreadable body
     * @return 400 with the exception's reason
     */
    @ExceptionHandler(ServerWebInputException.class)
    public ResponseEntity<ApiError> badInput(ServerWebInputException e) {
        return badRequest(String.valueOf(e.getReason()));
    }

    /**
     * @param e a request body over the server codecs' in-memory limit
     * @param exchange the request, for its method and path
     * @return 413 with the limit
     */
    @ExceptionHandler(ContentTooLargeException.class)
    public ResponseEntity<ApiError> tooLarge(ContentTooLargeException e, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        // The rest of the body is not read, so the server closes the connection after this answer: say so, or a
        // client would send its next request on a connection about to close ("prematurely closed").
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONNECTION, "close")
                .body(new ApiError(HttpStatus.CONTENT_TOO_LARGE.value(), HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase(),
                        "the body of " + request.getMethod() + " " + request.getPath() + " is over "
                                + ApiController.MAX_PAYLOAD_BYTES + " bytes; expected a JSON payload of at most "
                                + ApiController.MAX_PAYLOAD_BYTES + " bytes"));
    }

    private static ResponseEntity<ApiError> badRequest(String reason) {
        return error(HttpStatus.BAD_REQUEST, reason);
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String reason) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(status.value(), status.getReasonPhrase(), reason));
    }
}
