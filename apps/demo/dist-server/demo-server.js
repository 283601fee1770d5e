import {
  startDemo
} from "./chunk-SY2Z3XK4.js";
export {
  startDemo
};
