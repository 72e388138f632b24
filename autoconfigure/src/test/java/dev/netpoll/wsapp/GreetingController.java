package dev.netpoll.wsapp;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Controller;

/** STOMP: a message to /app/hello is answered to every subscriber of /topic/greetings. */
@Controller
class GreetingController {

    @MessageMapping("/hello")
    @SendTo("/topic/greetings")
    String greet(String name) {
        return "Hello, " + name + "!";
    }
}
