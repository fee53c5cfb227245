package io.dataline.dataset.rest;

import io.dataline.dataset.ReviewRepository;
import io.dataline.dataset.service.Reviews;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Branch protection ({@code /branches/{branch}/protection}, changed by admin keys only) and pull request reviews. */
@Path("/datasets/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    @Inject
    Reviews reviews;

    @PUT
    @Path("branches/{branch: .+}/protection")
    @Consumes(MediaType.APPLICATION_JSON)
    public Reviews.Protection protect(@PathParam("dataset") String dataset, @PathParam("branch") String branch, Reviews.Protection request) {
        return reviews.protect(dataset, branch, request);
    }

    @GET
    @Path("branches/{branch: .+}/protection")
    public Reviews.Protection protection(@PathParam("dataset") String dataset, @PathParam("branch") String branch) {
        return reviews.protection(dataset, branch);
    }

    @DELETE
    @Path("branches/{branch: .+}/protection")
    public Response unprotect(@PathParam("dataset") String dataset, @PathParam("branch") String branch) {
        reviews.unprotect(dataset, branch);
        return Response.noContent().build();
    }

    @POST
    @Path("pulls/{number: [0-9]{1,9}}/reviews")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response review(@PathParam("dataset") String dataset, @PathParam("number") int number, Reviews.NewReview request) {
        return Response.status(201).entity(reviews.review(dataset, number, request)).build();
    }

    @GET
    @Path("pulls/{number: [0-9]{1,9}}/reviews")
    public List<ReviewRepository.Review> reviews(@PathParam("dataset") String dataset, @PathParam("number") int number) {
        return reviews.reviews(dataset, number);
    }
}
